package io.scalableapp.operator.bench;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.sandbox.EmbeddedCluster;
import io.scalableapp.sandbox.TimeDriver;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what matters at scale, on the simulated cloud and the embedded API (scripts/bench.sh):
 * time for N apps to converge, AWS calls per app per steady-state resync, mutating calls when
 * nothing changed (goal: zero), and the operator's heap at N apps. Writes a Markdown report.
 */
public final class ScaleBenchmark {
  record Row(
      int apps, long convergeMillis, double callsPerAppResync, int mutatingAtRest, long heapMiB) {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(10, 50, 100);
    }
    var rows = new ArrayList<Row>();
    for (int n : sizes) {
      rows.add(run(n));
      System.out.println(rows.get(rows.size() - 1));
    }
    Path report = Path.of("target", "bench-report.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, report(rows));
    System.out.println(Files.readString(report));
    System.out.println("report: " + report);
    System.exit(0);
  }

  static Row run(int n) throws InterruptedException {
    var clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    var sim = new SimulatedCloud(clock);
    var subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    var counted = new InterceptedCloud(sim);
    try (var cluster = new EmbeddedCluster();
        var time = new TimeDriver(sim, Duration.ofSeconds(5), Duration.ofMillis(10))) {
      cluster.startOperator(counted, clock, EmbeddedCluster.FAST, Duration.ofSeconds(5));
      time.start();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ScalableApp app = Apps.web("bench", "app-" + i, subnets);
        app.getSpec().capacity = new Capacity(1, 2, null);
        cluster.apply(app);
      }
      while (ready(cluster, n) < n) {
        if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
          throw new IllegalStateException(
              "only " + ready(cluster, n) + " of " + n + " apps Ready in 10 min");
        }
        Thread.sleep(100);
      }
      long converge = (System.nanoTime() - start) / 1_000_000;

      Thread.sleep(3_000); // let the last status writes settle
      counted.resetCounts();
      Thread.sleep(12_000); // a few resyncs at the 5 s interval
      int total = counted.totalCalls();
      int mutating = counted.mutatingCalls();
      int observations = counted.calls("AutoScalingGroups.find");
      System.gc();
      long heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
      return new Row(
          n, converge, observations == 0 ? 0 : (double) total / observations, mutating, heap);
    }
  }

  static int ready(EmbeddedCluster cluster, int n) {
    return (int)
        cluster
            .client()
            .resources(ScalableApp.class)
            .inNamespace("bench")
            .list()
            .getItems()
            .stream()
            .filter(a -> a.getStatus() != null && a.getStatus().phase == Phase.Ready)
            .count();
  }

  static String report(List<Row> rows) {
    var out =
        new StringBuilder(
            """
            # Scale benchmark (simulated cloud, embedded Kubernetes API)

            Each app: 1-2 instances, a target group and a CPU policy. "Converge" is wall time from the
            first create to every app Ready (simulated time runs 500x). "Calls per resync" are cloud-port
            calls per app per observation at rest (with the AWS adapters, 5 port calls are 9 AWS API
            reads: subnets, launch template and its latest version, target group with tags,
            attributes and health, group, policy; 5 of them ELBv2 reads, whose refill is 10/s per
            account and region); "mutating at rest" must be 0. Heap is used heap after
            a GC with the whole world (simulated AWS, API server, operator) in one JVM, so it is an upper
            bound for the operator.

            | apps | converge (s) | calls per app per resync | mutating calls at rest | heap (MiB) |
            |---:|---:|---:|---:|---:|
            """);
    for (Row r : rows) {
      out.append(
          String.format(
              "| %d | %.1f | %.1f | %d | %d |%n",
              r.apps(),
              r.convergeMillis() / 1000.0,
              r.callsPerAppResync(),
              r.mutatingAtRest(),
              r.heapMiB()));
    }
    return out.toString();
  }

  private ScaleBenchmark() {}
}
