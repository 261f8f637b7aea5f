package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.CloudProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images behind the apps' SSM parameters ({@code imageId: resolve:ssm:<parameter>}), per
 * region. Every parameter the apps name is read once per resync interval by {@link #poll()}, in
 * batches of ten (a parameter many apps share is read once), and a reconcile takes its value from
 * there. A parameter no recent poll has read (a new app, a changed spec) is read when an app asks,
 * together with the region's other stale ones.
 *
 * <p>One parameter the role may not read fails only the apps that name it: a batch AWS refuses is
 * read again name by name. A parameter AWS does not have is an error for its apps, read again at
 * the next poll.
 */
public final class ImageResolver {
  /** A parameter, in a region. */
  private record Key(String region, String parameter) {}

  /**
   * What an app's parameter holds now: an image id, or why there is none (AWS's refusal).
   *
   * @param owner the app's {@code namespace/name}
   */
  public record Resolved(String owner, String parameter, String imageId, String error) {}

  /** A read: the value, or the error; when. */
  private record Entry(String imageId, CloudException error, Instant readAt) {}

  private final CloudProvider clouds;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Key> uses = new ConcurrentHashMap<>();
  private final Map<Key, Entry> read = new ConcurrentHashMap<>();

  /**
   * @param maxAge how old a read may be before an app's reconcile reads it again (the resync
   *     interval: the poll reads every parameter about that often); zero reads every time
   */
  public ImageResolver(CloudProvider clouds, Clock clock, Duration maxAge) {
    this.clouds = clouds;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * The image the parameter holds now, for the app; read from AWS only when no read of it is
   * recent.
   *
   * @param owner the app's {@code namespace/name}: its parameter is polled from now on
   * @throws CloudException AWS's refusal, or a ParameterNotFound when AWS has no such parameter
   */
  public String resolve(String owner, String region, String parameter) {
    var key = new Key(region, parameter);
    uses.put(owner, key);
    if (stale(key)) {
      var stale = new TreeSet<String>();
      stale.add(parameter);
      uses.values().stream()
          .filter(k -> k.region().equals(region) && stale(k))
          .forEach(k -> stale.add(k.parameter()));
      read(region, stale);
    }
    Entry e = read.get(key);
    if (e.error() != null) {
      throw e.error();
    }
    return e.imageId();
  }

  private boolean stale(Key k) {
    Entry e = read.get(k);
    return e == null || Duration.between(e.readAt(), clock.instant()).compareTo(maxAge) >= 0;
  }

  /** The app names no parameter any more, or is gone. */
  public void forget(String owner) {
    Key k = uses.remove(owner);
    if (k != null && !uses.containsValue(k)) {
      read.remove(k);
    }
  }

  /**
   * Reads every parameter the apps name, region by region, and returns what each app's holds now. A
   * region AWS does not answer (throttled, unreachable) keeps its last reads.
   */
  public List<Resolved> poll() {
    var byRegion = new HashMap<String, Set<String>>();
    uses.values()
        .forEach(
            k -> byRegion.computeIfAbsent(k.region(), r -> new TreeSet<>()).add(k.parameter()));
    byRegion.forEach(
        (region, names) -> {
          try {
            read(region, names);
          } catch (CloudException e) {
            // Transient: the apps keep what the last read found.
          }
        });
    var resolved = new ArrayList<Resolved>();
    uses.forEach(
        (owner, k) -> {
          Entry e = read.get(k);
          if (e != null) {
            resolved.add(
                new Resolved(
                    owner,
                    k.parameter(),
                    e.imageId(),
                    e.error() == null ? null : e.error().getMessage()));
          }
        });
    return resolved;
  }

  /**
   * Reads these parameters of the region in batches; a refused batch name by name, so that one
   * parameter the role may not read does not fail the others.
   *
   * @throws CloudException when AWS cannot answer now (throttling, a server error): nothing is kept
   */
  private void read(String region, Collection<String> names) {
    Instant now = clock.instant();
    Map<String, String> values;
    try {
      values = clouds.forRegion(region).imageParameters().values(names);
    } catch (CloudException e) {
      if (e.is(Kind.TRANSIENT)) {
        throw e;
      }
      if (names.size() > 1) {
        for (String n : names) {
          read(region, List.of(n));
        }
      } else {
        names.forEach(n -> read.put(new Key(region, n), new Entry(null, e, now)));
      }
      return;
    }
    for (String n : names) {
      String value = values.get(n);
      read.put(
          new Key(region, n), new Entry(value, value == null ? notFound(region, n) : null, now));
    }
  }

  /** AWS lists a parameter it does not have under InvalidParameters, with no message. */
  private static CloudException notFound(String region, String parameter) {
    return new CloudException(
        Kind.INVALID_REQUEST,
        "ParameterNotFound",
        "SSM has no parameter "
            + parameter
            + " in "
            + region
            + " (GetParameters lists it among InvalidParameters)",
        "GetParameters",
        null);
  }
}
