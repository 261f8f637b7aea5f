package io.scalableapp.sandbox;

import io.fabric8.kubernetes.api.model.Event;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * What the sandbox prints: the rows {@code kubectl get sapp -w} would show, the app's events, and a
 * line of the AWS console (instances per zone and type, healthy targets, CPU, the refresh), each
 * only when it changed, stamped with the sandbox's elapsed time.
 */
final class Console {
  static final String ROW = "%-11s %-22s %-10s %-4s %-4s %-8s %-10s %-6s %-13s %-10s %s%n";

  private final PrintStream out;
  private final Clock clock;
  private final Instant start;
  private final EmbeddedCluster cluster;
  private final SimulatedCloud sim;
  private final String group;
  private final Set<String> seenEvents = new HashSet<>();
  private String lastRow = "";
  private String lastAws = "";

  /**
   * @param sim the simulated cloud whose console line to show, or null (an emulator has none)
   * @param group the app's Auto Scaling Group
   */
  Console(PrintStream out, Clock clock, EmbeddedCluster cluster, SimulatedCloud sim, String group) {
    this.out = out;
    this.clock = clock;
    this.start = clock.instant();
    this.cluster = cluster;
    this.sim = sim;
    this.group = group;
  }

  void println(String line) {
    out.println(line);
  }

  void printf(String format, Object... args) {
    out.printf(format, args);
  }

  /** The app's row, new events and the AWS line, each if it changed. */
  void show(ScalableApp a) {
    if (a == null) {
      return;
    }
    events(a.getMetadata().getNamespace());
    var s = a.getStatus();
    String row =
        String.format(
            ROW.replace("%n", ""),
            "",
            a.getMetadata().getName(),
            a.getSpec().instanceType != null
                ? a.getSpec().instanceType
                : s == null || s.instanceTypeSummary == null ? "(mixed)" : s.instanceTypeSummary,
            a.getSpec().capacity.min,
            a.getSpec().capacity.max,
            s == null || s.desiredCapacity == null ? "" : s.desiredCapacity,
            s == null || s.replicas == null ? "" : s.replicas,
            s == null
                ? ""
                : s.condition(io.scalableapp.operator.api.Condition.READY)
                    .map(c -> c.status)
                    .orElse(""),
            s == null || s.phase == null ? "" : s.phase,
            s == null || s.loadBalancer == null || s.loadBalancer.dnsName == null
                ? ""
                : s.loadBalancer.dnsName,
            "");
    if (lastRow.isEmpty()) {
      out.printf(
          ROW,
          "TIME",
          "NAME",
          "TYPE",
          "MIN",
          "MAX",
          "DESIRED",
          "INSERVICE",
          "READY",
          "STATUS",
          "ENDPOINT",
          "");
    }
    if (!row.equals(lastRow)) {
      lastRow = row;
      out.println(stamp() + row.substring(11).stripTrailing());
    }
    String aws = awsLine();
    if (aws != null && !aws.equals(lastAws)) {
      lastAws = aws;
      out.println(stamp() + "  aws: " + aws);
    }
  }

  private void events(String namespace) {
    for (Event e : cluster.client().v1().events().inNamespace(namespace).list().getItems()) {
      if (seenEvents.add(e.getMetadata().getName())) {
        out.println(
            stamp() + "  event: " + e.getType() + " " + e.getReason() + ": " + e.getMessage());
      }
    }
  }

  private String awsLine() {
    if (sim == null) {
      return null;
    }
    return sim.view(group)
        .map(
            v -> {
              var zones = new ArrayList<String>();
              v.inServiceByZoneAndType()
                  .forEach(
                      (zone, types) ->
                          zones.add(
                              zone
                                  + ": "
                                  + String.join(
                                      ", ",
                                      types.entrySet().stream()
                                          .map(t -> t.getValue() + " x " + t.getKey())
                                          .toList())));
              return (zones.isEmpty() ? "no instances in service" : String.join(" | ", zones))
                  + " | healthy targets "
                  + v.healthyTargets()
                  + " | cpu "
                  + Math.round(v.averageCpu())
                  + "%"
                  + (v.spotInService() == 0 ? "" : " | spot " + v.spotInService())
                  + (v.warmReady().isEmpty() ? "" : " | warm " + v.warmReady().size())
                  + (v.draining() == 0 ? "" : " | Terminating:Wait " + v.draining())
                  + (v.refresh() == null ? "" : " | refresh " + v.refresh());
            })
        .orElse("no Auto Scaling Group yet");
  }

  private String stamp() {
    return String.format("%-11s", "+" + elapsed());
  }

  /** The sandbox's time since it started, hh:mm:ss. */
  String elapsed() {
    long s = Duration.between(start, clock.instant()).toSeconds();
    return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
