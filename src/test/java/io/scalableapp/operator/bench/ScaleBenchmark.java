package io.scalableapp.operator.bench;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.FaultyAws;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.OperatorProcess;
import io.scalableapp.sandbox.EmbeddedCluster;
import io.scalableapp.sandbox.TimeDriver;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet-scale benchmark (scripts/bench.sh): N apps in one region, against the simulated cloud
 * (calls counted at the cloud port, the operator in this JVM) and against moto (every AWS SDK call
 * counted at the HTTP level by a proxy, the operator in a JVM of its own with the chart's default
 * memory). Writes target/bench-report.md.
 *
 * <p>Each app: 1 to 2 instances, a target group and a CPU policy. For each N it measures AWS reads
 * per resync per 100 apps at rest, mutating calls at rest, the time for N new apps to converge
 * against the lower bound AWS's mutating refill rates set (at the operator's share of them), the
 * time for a capacity change applied to all N apps, the latency from a change to one app's spec to
 * its first mutating AWS call while the others are at rest, and the operator's peak RSS.
 */
public final class ScaleBenchmark {
  static final String NS = "bench";

  /** The resync interval, unless the target needs a longer one (see {@link Target#resync()}). */
  static final Duration RESYNC = Duration.ofSeconds(10);

  static final double SHARE = 0.5;

  /** Calls per second AWS allows (mutating), per service: the operator's limiter's own table. */
  static final Map<String, Double> MUTATING_RATES =
      Map.of("Ec2", 5.0, "ElasticLoadBalancingV2", 3.0, "AutoScaling", 5.0);

  record Row(
      String target,
      int apps,
      double readsPerResyncPer100,
      int mutatingAtRest,
      double convergeSeconds,
      double boundSeconds,
      double capacityChangeSeconds,
      double latencyMedianMillis,
      long peakRssMiB) {}

  /** Told of an AWS call: its service, action, a description naming the resource. */
  @FunctionalInterface
  interface CallHook {
    CallHook NONE = (service, action, what, mutating) -> {};

    void call(String service, String action, String what, boolean mutating);
  }

  /** Where the operator runs and how its calls are counted. */
  interface Target extends AutoCloseable {
    String name();

    List<String> subnets();

    void startOperator(EmbeddedCluster cluster);

    /** The operator's resync interval on this target. */
    default Duration resync() {
      return RESYNC;
    }

    /** The target's changes to each app before it is created. */
    default void prepare(ScalableApp app) {}

    int reads();

    int writes();

    void resetCounts();

    /** Told of each AWS call as it is made. */
    void onCall(CallHook hook);

    long peakRssMiB();

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    List<String> targets = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      if (a.equals("sim") || a.equals("moto")) {
        targets.add(a);
      } else {
        sizes.add(Integer.parseInt(a));
      }
    }
    if (targets.isEmpty()) {
      targets = List.of("sim", "moto");
    }
    var rows = new ArrayList<Row>();
    for (String t : targets) {
      List<Integer> ns =
          !sizes.isEmpty() ? sizes : t.equals("sim") ? List.of(10, 100, 1000) : List.of(10, 100);
      for (int n : ns) {
        try (Target target = t.equals("sim") ? new Sim() : new MotoTarget(n)) {
          rows.add(run(target, n));
        }
        System.out.println(rows.get(rows.size() - 1));
      }
    }
    Path report = Path.of("target", "bench-report.md");
    Files.createDirectories(report.getParent());
    Files.writeString(report, report(rows));
    System.out.println(Files.readString(report));
    System.out.println("report: " + report);
    System.exit(0);
  }

  static Row run(Target target, int n) throws InterruptedException {
    try (var cluster = new EmbeddedCluster()) {
      var byService = new ConcurrentHashMap<String, AtomicLong>();
      var reads = new ConcurrentHashMap<String, AtomicLong>();
      target.onCall(
          (service, action, what, mutating) ->
              (mutating ? byService : reads)
                  .computeIfAbsent(mutating ? service : action, k -> new AtomicLong())
                  .incrementAndGet());
      target.startOperator(cluster);

      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ScalableApp app = Apps.web(NS, "app-" + i, target.subnets());
        app.getSpec().capacity = new Capacity(1, 2, null);
        target.prepare(app);
        cluster.apply(app);
      }
      awaitReady(cluster, n, a -> true, Duration.ofMinutes(60));
      double converge = (System.nanoTime() - start) / 1e9;
      double bound =
          byService.entrySet().stream()
              .mapToDouble(
                  e -> e.getValue().get() / (MUTATING_RATES.getOrDefault(e.getKey(), 5.0) * SHARE))
              .max()
              .orElse(0);

      target.onCall(CallHook.NONE);
      System.out.printf(
          "%s, %d apps: converged in %.1f s; mutating calls by service %s; reads %s%n",
          target.name(), n, converge, new TreeMap<>(byService), new TreeMap<>(reads));
      Thread.sleep(target.resync().multipliedBy(2).toMillis()); // polls after the last change
      target.resetCounts();
      int resyncs = 3;
      Thread.sleep(target.resync().multipliedBy(resyncs).toMillis());
      double readsPer100 = target.reads() / (double) resyncs / (n / 100.0);
      int mutatingAtRest = target.writes();

      double latency = latencyMedianMillis(target, cluster);

      long changeStart = System.nanoTime();
      for (int i = 0; i < n; i++) {
        cluster.edit(NS, "app-" + i, a -> a.getSpec().capacity.max = 5);
      }
      awaitReady(cluster, n, a -> a.getStatus().observedGeneration != null, Duration.ofMinutes(60));
      double capacityChange = (System.nanoTime() - changeStart) / 1e9;

      return new Row(
          target.name(),
          n,
          readsPer100,
          mutatingAtRest,
          converge,
          bound,
          capacityChange,
          latency,
          target.peakRssMiB());
    }
  }

  /**
   * Ten times: change app-0's max while every other app is at rest, and time the first mutating
   * call for its group after the change was accepted by the API; the median, after a warm-up.
   */
  static double latencyMedianMillis(Target target, EmbeddedCluster cluster)
      throws InterruptedException {
    String group = AppNames.of(NS, "app-0").autoScalingGroup();
    var first = new AtomicLong();
    target.onCall(
        (service, action, what, mutating) -> {
          if (mutating && what.contains(group)) {
            first.compareAndSet(0, System.nanoTime());
          }
        });
    var samples = new ArrayList<Double>();
    for (int i = 0; i < 12; i++) {
      int max = 3 + (i % 2);
      first.set(0);
      long edited = System.nanoTime();
      cluster.edit(NS, "app-0", a -> a.getSpec().capacity.max = max);
      long deadline = edited + Duration.ofSeconds(60).toNanos();
      while (first.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      if (i >= 2 && first.get() != 0) {
        samples.add((first.get() - edited) / 1e6);
      }
      // Ready again, and a poll begun after the change: the app is at rest once more.
      awaitReady(cluster, 1, a -> a.getMetadata().getName().equals("app-0"), Duration.ofMinutes(2));
      Thread.sleep(target.resync().plusSeconds(1).toMillis());
    }
    target.onCall(CallHook.NONE);
    samples.sort(Double::compare);
    return samples.isEmpty() ? Double.NaN : samples.get(samples.size() / 2);
  }

  static void awaitReady(
      EmbeddedCluster cluster,
      int n,
      java.util.function.Predicate<ScalableApp> which,
      Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long ready =
          cluster.client().resources(ScalableApp.class).inNamespace(NS).list().getItems().stream()
              .filter(which)
              .filter(
                  a ->
                      a.getStatus() != null
                          && a.getStatus().phase == Phase.Ready
                          && a.getMetadata()
                              .getGeneration()
                              .equals(a.getStatus().observedGeneration))
              .count();
      if (ready >= n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + ready + " of " + n + " apps Ready in " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /** The simulated cloud, 500 times faster than the wall clock; calls counted at the port. */
  static final class Sim implements Target {
    final SimClock clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SimulatedCloud sim = new SimulatedCloud(clock);
    final InterceptedCloud counted = new InterceptedCloud(sim);
    final List<String> subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    final TimeDriver time = new TimeDriver(sim, Duration.ofSeconds(5), Duration.ofMillis(10));

    @Override
    public String name() {
      return "simulated";
    }

    @Override
    public List<String> subnets() {
      return subnets;
    }

    @Override
    public void startOperator(EmbeddedCluster cluster) {
      cluster.startOperator(counted, clock, EmbeddedCluster.FAST, RESYNC);
      time.start();
    }

    @Override
    public int reads() {
      return counted.readCalls();
    }

    @Override
    public int writes() {
      return counted.mutatingCalls();
    }

    @Override
    public void resetCounts() {
      counted.resetCounts();
    }

    @Override
    public void onCall(CallHook hook) {
      counted.onCall(
          (method, args) ->
              hook.call(
                  service(method),
                  method,
                  method + Arrays.deepToString(args),
                  !InterceptedCloud.isReadMethod(method)));
    }

    static String service(String method) {
      return method.startsWith("AutoScalingGroups")
          ? "AutoScaling"
          : method.startsWith("TargetGroups") || method.startsWith("LoadBalancers")
              ? "ElasticLoadBalancingV2"
              : "Ec2";
    }

    @Override
    public long peakRssMiB() {
      return OperatorProcess.peakRssMiB(ProcessHandle.current().pid());
    }

    @Override
    public void close() {
      time.close();
    }
  }

  /**
   * moto behind a counting proxy (every SDK call, at the HTTP level); the operator in its own JVM
   * with the heap the chart gives it (75% of a 512 MiB limit).
   */
  static final class MotoTarget implements Target {
    final FaultyAws proxy;
    final List<String> subnets;
    OperatorProcess operator;

    final Duration resync;

    /**
     * moto answers a region's listings in one Python thread: with 1,000 apps a 10 s resync keeps it
     * busy answering polls, so the resync grows with N (50 s at 1,000 apps; AWS's default rates and
     * the chart's 5-minute default leave far more room).
     */
    MotoTarget(int n) {
      resync = Duration.ofSeconds(Math.max(RESYNC.toSeconds(), n / 20));
      Moto.reset();
      // 4,091 addresses a subnet: an instance each for 1,000 apps and their rollouts.
      var net = Moto.network("10.0.0.0/20", "10.0.16.0/20");
      subnets = List.of(net.get(1), net.get(2));
      proxy = new FaultyAws(Moto.endpoint(), 1L);
    }

    @Override
    public String name() {
      return "moto";
    }

    @Override
    public Duration resync() {
      return resync;
    }

    @Override
    public List<String> subnets() {
      return subnets;
    }

    @Override
    public void startOperator(EmbeddedCluster cluster) {
      operator =
          OperatorProcess.start(
              cluster.url(),
              proxy.endpoint(),
              Path.of("target", "bench", "operator.log"),
              List.of("-Xmx384m", "-XX:MaxRAMPercentage=75"),
              resync,
              SHARE);
    }

    /**
     * No scaling policy: moto 5.1.1 keys policies by name across all groups of a region (AWS: per
     * group), so apps sharing the policy name would overwrite each other's in moto only.
     */
    @Override
    public void prepare(ScalableApp app) {
      app.getSpec().scaling = null;
    }

    @Override
    public int reads() {
      return proxy.reads();
    }

    @Override
    public int writes() {
      return proxy.writes();
    }

    @Override
    public void resetCounts() {
      proxy.resetCounts();
    }

    @Override
    public void onCall(CallHook hook) {
      proxy.onRequest(
          call ->
              hook.call(
                  call.service(),
                  call.action(),
                  call.action() + "?" + call.form(),
                  call.mutating()));
    }

    @Override
    public long peakRssMiB() {
      return operator == null ? -1 : operator.peakRssMiB();
    }

    @Override
    public void close() {
      if (operator != null) {
        operator.close();
      }
      proxy.close();
    }
  }

  static String report(List<Row> rows) {
    var out =
        new StringBuilder(
            """
            # Fleet-scale benchmark

            `scripts/bench.sh` (N apps in one region; each app 1 to 2 instances, a target group and,
            on the simulated cloud, a CPU policy (moto 5.1.1 keys scaling policies by name across
            groups, AWS per group, so moto's apps have none); resync 10 s (on moto, N/20 s when longer); the operator takes 0.5
            of AWS's rates). "simulated": the
            simulated cloud, calls counted at the cloud port, the operator in the benchmark's JVM
            (peak RSS is that whole JVM: simulated AWS, API server and operator). "moto": every AWS
            SDK call counted at the HTTP level by a proxy in front of moto, the operator in its own
            JVM with the chart's default heap (-Xmx384m: 75% of 512 MiB). The bound is the time AWS's
            mutating refill rates (EC2 5/s, ELBv2 3/s, Auto Scaling taken as 5/s) at the operator's
            share allow for the mutating calls the convergence made, service by service; the
            simulated cloud has no rate limits, so only the moto rows are held to it. Latency: from
            a change to one app's spec being accepted by the API to its first mutating AWS call,
            median of 10 (after 2 to warm up), the other apps at rest.

            | target | apps | AWS reads per resync per 100 apps | mutating calls at rest | converge (s) | bound (s) | converge / bound | capacity change for all (s) | change → first AWS call, median (ms) | peak RSS (MiB) |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
            """);
    for (Row r : rows) {
      out.append(
          String.format(
              "| %s | %d | %.1f | %d | %.1f | %.1f | %.2f | %.1f | %.0f | %d |%n",
              r.target(),
              r.apps(),
              r.readsPerResyncPer100(),
              r.mutatingAtRest(),
              r.convergeSeconds(),
              r.boundSeconds(),
              r.boundSeconds() == 0 ? 0 : r.convergeSeconds() / r.boundSeconds(),
              r.capacityChangeSeconds(),
              r.latencyMedianMillis(),
              r.peakRssMiB()));
    }
    return out.toString();
  }

  private ScaleBenchmark() {}
}
