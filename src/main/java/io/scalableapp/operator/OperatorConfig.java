package io.scalableapp.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from the environment.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param resyncInterval how often every app is reconciled even without events (drift correction)
 * @param metricsPort the port of /metrics, /healthz and /readyz
 * @param leaderElectionNamespace where the leader-election lease lives; null: no leader election
 * @param awsApiShare the share of AWS's published API request rates the operator allows itself (the
 *     quota is per account and region, shared with every other tool), in (0, 1]
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Duration resyncInterval,
    int metricsPort,
    String leaderElectionNamespace,
    double awsApiShare) {
  public static final String LEASE_NAME = "scalableapp-operator";
  public static final double DEFAULT_AWS_API_SHARE = 0.5;

  public OperatorConfig(Set<String> watchNamespaces, Duration resyncInterval, int metricsPort) {
    this(watchNamespaces, resyncInterval, metricsPort, null);
  }

  public OperatorConfig(
      Set<String> watchNamespaces,
      Duration resyncInterval,
      int metricsPort,
      String leaderElectionNamespace) {
    this(
        watchNamespaces,
        resyncInterval,
        metricsPort,
        leaderElectionNamespace,
        DEFAULT_AWS_API_SHARE);
  }

  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);
  public static final int DEFAULT_METRICS_PORT = 8080;

  /**
   * Reads WATCH_NAMESPACES, RESYNC_INTERVAL, METRICS_PORT, LEADER_ELECTION (with the lease in
   * POD_NAMESPACE) and AWS_API_SHARE; throws on malformed values.
   */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    String ns = env.getOrDefault("WATCH_NAMESPACES", "");
    Set<String> namespaces =
        Arrays.stream(ns.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    String resync = env.get("RESYNC_INTERVAL");
    String port = env.get("METRICS_PORT");
    String election = env.getOrDefault("LEADER_ELECTION", "false").trim();
    if (!election.equals("true") && !election.equals("false")) {
      throw new IllegalArgumentException(
          "LEADER_ELECTION: '" + election + "' must be true or false");
    }
    String leaseNamespace = null;
    if (election.equals("true")) {
      leaseNamespace = env.get("POD_NAMESPACE");
      if (leaseNamespace == null || leaseNamespace.isBlank()) {
        throw new IllegalArgumentException(
            "LEADER_ELECTION=true needs POD_NAMESPACE (the lease's namespace, from the downward"
                + " API)");
      }
    }
    String share = env.get("AWS_API_SHARE");
    return new OperatorConfig(
        namespaces,
        resync == null || resync.isBlank() ? DEFAULT_RESYNC : parseDuration(resync.trim()),
        port == null || port.isBlank() ? DEFAULT_METRICS_PORT : parsePort(port.trim()),
        leaseNamespace,
        share == null || share.isBlank() ? DEFAULT_AWS_API_SHARE : parseShare(share.trim()));
  }

  /** A number in (0, 1], e.g. "0.5". */
  static double parseShare(String s) {
    double share;
    try {
      share = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("AWS_API_SHARE: '" + s + "' is not a number");
    }
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException(
          "AWS_API_SHARE: " + s + " must be more than 0 and at most 1 (a share of AWS's rates)");
    }
    return share;
  }

  /** "300" (seconds), "90s", "5m", "1h", "1h30m" or ISO-8601 ("PT5M"). */
  public static Duration parseDuration(String s) {
    return positive(parse(s), s);
  }

  private static Duration parse(String s) {
    try {
      if (s.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      if (s.toUpperCase().startsWith("P")) {
        return Duration.parse(s);
      }
      if (s.matches("(\\d+h)?(\\d+m)?(\\d+s)?") && !s.isEmpty()) {
        return Duration.parse("PT" + s.toUpperCase());
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "RESYNC_INTERVAL: '" + s + "' is not a duration (use seconds like 300, or 30s, 5m, 1h)");
  }

  private static Duration positive(Duration d, String s) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("RESYNC_INTERVAL: '" + s + "' must be positive");
    }
    return d;
  }

  private static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("METRICS_PORT: '" + s + "' is not a port (1-65535)");
  }
}
