package io.scalableapp.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One watch over plain HTTP, with the API server's semantics on top of the stock mock's watch
 * listener (which starts every watch with an ADDED event per object, whatever was asked):
 *
 * <ul>
 *   <li>with {@code resourceVersion=N} (kubectl get -w after its list), only what changed after N;
 *   <li>without one (or {@code 0}), the current objects as ADDED events, then changes;
 *   <li>with {@code sendInitialEvents=true} (client-go's streaming list, kubectl wait), the same
 *       followed by the BOOKMARK annotated {@code k8s.io/initial-events-end};
 *   <li>when the request asks for a Table (kubectl get -w), each event's object is a one-row Table.
 * </ul>
 *
 * The server opens the listener, calls {@link #begin()}, writes what it returns, then {@link
 * #go()}; {@link #line} holds the listener's events until then, so none comes before the start. The
 * mock keeps no history: a watch from an old resourceVersion gets each object changed since then
 * once, in its current state (as ADDED), not every change in between.
 */
public final class HttpWatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String resourceVersion;
  private final boolean initialEventsEnd;
  private final JsonNode typeMeta;
  private final Supplier<JsonNode> list;
  private final Optional<TableView> table;
  private final java.time.Clock clock;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile long since;

  /**
   * @param typeMeta apiVersion and kind of the watched resource
   * @param list the objects the watch selects, as a List with its resourceVersion
   */
  HttpWatch(
      String resourceVersion,
      boolean initialEventsEnd,
      JsonNode typeMeta,
      Supplier<JsonNode> list,
      Optional<TableView> table,
      java.time.Clock clock) {
    this.resourceVersion = resourceVersion == null ? "" : resourceVersion;
    this.initialEventsEnd = initialEventsEnd;
    this.typeMeta = typeMeta;
    this.list = list;
    this.table = table;
    this.clock = clock;
  }

  /** The lines the watch starts with. */
  public List<String> begin() {
    List<String> lines = new ArrayList<>();
    if (resourceVersion.matches("[1-9][0-9]*") && !initialEventsEnd) {
      since = Long.parseLong(resourceVersion);
      return lines;
    }
    JsonNode current = list.get();
    long listed = number(current.at("/metadata/resourceVersion"));
    for (JsonNode item : current.path("items")) {
      listed = Math.max(listed, number(item.at("/metadata/resourceVersion")));
      lines.add(event("ADDED", item));
    }
    since = listed;
    if (initialEventsEnd) {
      // An object of the watched kind with only a resourceVersion, as the API server sends it.
      ObjectNode bookmark = typeMeta.deepCopy();
      ObjectNode metadata = bookmark.putObject("metadata");
      metadata.put("resourceVersion", String.valueOf(listed));
      metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
      ObjectNode e = JSON.createObjectNode();
      e.put("type", "BOOKMARK");
      e.set("object", bookmark);
      lines.add(e.toString());
    }
    return lines;
  }

  /** Lets the listener's events through, after the lines {@link #begin()} gave. */
  public void go() {
    started.countDown();
  }

  /**
   * The line to write for an event of the stock listener, or null when the watch has it already
   * (the ADDED events of the listener's opening, and any change no newer than where the watch
   * starts).
   */
  public String line(String stockEvent) {
    try {
      if (!started.await(30, TimeUnit.SECONDS)) {
        return null;
      }
      JsonNode e = JSON.readTree(stockEvent);
      JsonNode object = e.path("object");
      String type = e.path("type").asText();
      // What the watch started from has it already (a DELETED event carries the object's last
      // version, older than the deletion: never dropped).
      if (!type.equals("DELETED") && number(object.at("/metadata/resourceVersion")) <= since) {
        return null;
      }
      return event(type, object);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return null;
    } catch (JsonProcessingException ex) {
      return null;
    }
  }

  private String event(String type, JsonNode object) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.set("object", table.isPresent() ? table.get().table(object, clock.instant()) : object);
    return e.toString();
  }

  private static long number(JsonNode resourceVersion) {
    String rv = resourceVersion.asText("");
    return rv.matches("[0-9]+") ? Long.parseLong(rv) : 0;
  }
}
