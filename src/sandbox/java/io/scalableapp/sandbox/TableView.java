package io.scalableapp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom resource's printer columns, served as the API server serves them: a {@code
 * meta.k8s.io/v1 Table} for a GET or LIST that asks for one ({@code Accept:
 * application/json;as=Table;v=v1;g=meta.k8s.io}), which is how {@code kubectl get} shows them.
 * Columns come from the CRD's additionalPrinterColumns; a date column shows the age, as the API
 * server does.
 *
 * @param plural the resource's plural name
 */
public record TableView(String plural, List<Column> columns) {
  /** A printer column of the CRD. */
  /**
   * A column: {@code type} is the CRD column's (string, integer, number, boolean, date), or, for
   * the API server's own tables, name (the object's name) or reference (an object reference shown
   * as kind/name); a date is shown as an age.
   */
  public record Column(
      String name, String type, String jsonPath, int priority, String description) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The name column the API server puts first in a custom resource's table. */
  private static final Column NAME =
      new Column("Name", "name", ".metadata.name", 0, "The object's name.");

  /** The printer columns of the CRD's served version, after the name. */
  public static TableView fromCrd(JsonNode crd) {
    var columns = new ArrayList<Column>(List.of(NAME));
    for (JsonNode c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
      columns.add(
          new Column(
              c.path("name").asText(),
              c.path("type").asText("string"),
              c.path("jsonPath").asText(),
              c.path("priority").asInt(0),
              c.path("description").asText("")));
    }
    return new TableView(crd.at("/spec/names/plural").asText(), List.copyOf(columns));
  }

  /**
   * Core events as the API server prints them ({@code kubectl get events}): last seen, type,
   * reason, the object as {@code kind/name}, the message; the rest with {@code -o wide}.
   */
  public static TableView events() {
    return new TableView(
        "events",
        List.of(
            new Column("Last Seen", "date", ".lastTimestamp", 0, "When the event last happened."),
            new Column("Type", "string", ".type", 0, "Normal or Warning."),
            new Column("Reason", "string", ".reason", 0, "Why, in one word."),
            new Column("Object", "reference", ".involvedObject", 0, "What it is about."),
            new Column("Source", "string", ".source.component", 1, "Who reported it."),
            new Column("Message", "string", ".message", 0, "What happened."),
            new Column("First Seen", "date", ".firstTimestamp", 1, "When it first happened."),
            new Column("Count", "integer", ".count", 1, "How many times."),
            new Column("Name", "name", ".metadata.name", 1, "The event's name.")));
  }

  /** Whether the request asks for a Table (kubectl get does). */
  public static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
  }

  /** The Table for a stored object or a list of them. */
  public ObjectNode table(JsonNode objectOrList, Instant now) {
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", objectOrList.at("/metadata/resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    columns.forEach(
        c ->
            definitions.add(
                definition(
                    c.name(),
                    switch (c.type()) {
                      case "date", "reference", "name" -> "string"; // as the API server shows them
                      default -> c.type();
                    },
                    c.type().equals("name") ? "name" : "",
                    c.priority(),
                    c.description())));
    ArrayNode rows = table.putArray("rows");
    if (objectOrList.has("items")) {
      objectOrList.path("items").forEach(o -> rows.add(row(o, now)));
    } else {
      rows.add(row(objectOrList, now));
    }
    return table;
  }

  private static ObjectNode definition(
      String name, String type, String format, int priority, String description) {
    ObjectNode d = NODES.objectNode();
    d.put("name", name);
    d.put("type", type);
    d.put("format", format);
    d.put("description", description);
    d.put("priority", priority);
    return d;
  }

  private ObjectNode row(JsonNode object, Instant now) {
    ObjectNode row = NODES.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Column c : columns) {
      JsonNode value = evaluate(object, c.jsonPath());
      if (value == null || value.isMissingNode() || value.isNull()) {
        cells.addNull();
      } else if (c.type().equals("date")) {
        cells.add(age(Instant.parse(value.asText()), now));
      } else if (c.type().equals("reference")) {
        // kubectl's kind/name: scalableapp/web
        cells.add(
            value.path("kind").asText().toLowerCase(java.util.Locale.ROOT)
                + "/"
                + value.path("name").asText());
      } else {
        cells.add(value);
      }
    }
    ObjectNode partial = row.putObject("object");
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return row;
  }

  private static final Pattern FILTER =
      Pattern.compile("^([A-Za-z0-9_]+)\\[\\?\\(@\\.([A-Za-z0-9_]+)==\"([^\"]*)\"\\)\\]$");

  /**
   * The value at a printer column's JSONPath: field names, and a filter on a list ({@code
   * .status.conditions[?(@.type=="Ready")].status}), which the CRD's columns use.
   */
  static JsonNode evaluate(JsonNode object, String jsonPath) {
    JsonNode node = object;
    for (String step : jsonPath.substring(1).split("\\.(?![^\\[]*\\])")) {
      if (node == null) {
        return null;
      }
      Matcher m = FILTER.matcher(step);
      if (m.matches()) {
        JsonNode list = node.get(m.group(1));
        node = null;
        if (list != null && list.isArray()) {
          for (JsonNode item : list) {
            if (m.group(3).equals(item.path(m.group(2)).asText(null))) {
              node = item;
              break;
            }
          }
        }
      } else {
        node = node.get(step);
      }
    }
    return node;
  }

  /** The age as kubectl shows it: 45s, 3m, 2h5m, 4d. */
  static String age(Instant created, Instant now) {
    Duration d = Duration.between(created, now);
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    if (d.toMinutes() < 2) {
      return d.toSeconds() + "s";
    }
    if (d.toHours() < 3) {
      return d.toMinutes() + "m";
    }
    if (d.toDays() < 2) {
      return d.toHours() + "h" + (d.toMinutesPart() == 0 ? "" : d.toMinutesPart() + "m");
    }
    return d.toDays() + "d";
  }
}
