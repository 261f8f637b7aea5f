package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.InstancesSpec;
import io.scalableapp.operator.api.InstancesSpec.InstanceTypeSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.api.WarmPoolSpec;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.sandbox.EmbeddedCluster;
import io.scalableapp.sandbox.TimeDriver;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mixed instances, Spot and warm pools as a user lives them: the real reconciler on the mock API
 * server and the simulated cloud, simulated time about 250 times faster than the wall clock.
 */
class CapacityAndCostIT {
  static final String NS = "hr";
  static final Duration WAIT = Duration.ofSeconds(60);

  SimClock clock;
  SimulatedCloud sim;
  InterceptedCloud counted;
  EmbeddedCluster cluster;
  TimeDriver time;
  List<String> subnets;

  @BeforeEach
  void world() {
    clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    sim = new SimulatedCloud(clock);
    subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    counted = new InterceptedCloud(sim);
    cluster = new EmbeddedCluster();
    cluster.startOperator(counted, clock);
    time = new TimeDriver(sim, Duration.ofSeconds(5), Duration.ofMillis(20));
  }

  @AfterEach
  void close() {
    time.close();
    cluster.close();
  }

  ScalableApp app(String name, int min, int max) {
    var app = Apps.web(NS, name, subnets);
    app.getSpec().capacity = new Capacity(min, max, null);
    app.getSpec().targetGroup.healthCheck = new HealthCheck("/", 10, 5, 2, 2, "200");
    app.getSpec().scaling = null;
    return app;
  }

  ScalableApp awaitApp(String name, Predicate<ScalableApp> condition, String what) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .alias(what)
        .until(
            () -> {
              var a = cluster.get(NS, name);
              try {
                return a != null && a.getStatus() != null && condition.test(a);
              } catch (NullPointerException notYetThere) {
                return false;
              }
            });
    return cluster.get(NS, name);
  }

  static Predicate<ScalableApp> ready() {
    return a ->
        a.getStatus().phase == Phase.Ready
            && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration());
  }

  static InstancesSpec mix(String... types) {
    var in = new InstancesSpec();
    in.types = java.util.Arrays.stream(types).map(t -> new InstanceTypeSpec(t, null)).toList();
    return in;
  }

  @Test
  void aSingleTypeFleetBecomesAMixedSpotFleetWithoutANewGroupAndRidesOutAnInterruption() {
    String group = AppNames.of(NS, "directory").autoScalingGroup();
    cluster.apply(app("directory", 2, 4));
    time.start();
    awaitApp("directory", ready().and(a -> a.getStatus().replicas == 2), "two instances Ready");

    // One type to a mix that lists it, all On-Demand: the group is switched, nothing replaced.
    cluster.edit(
        NS,
        "directory",
        a -> {
          a.getSpec().instanceType = null;
          a.getSpec().instances = mix("t3.micro", "t3a.micro");
        });
    var mixed = awaitApp("directory", ready(), "Ready on the mix");
    assertThat(mixed.getStatus().instanceTypes).isEqualTo(Map.of("t3.micro", 2));
    assertThat(mixed.getStatus().instanceTypeSummary).isEqualTo("2 t3.micro");
    assertThat(mixed.getStatus().purchaseOptions).isEqualTo(Map.of("OnDemand", 2));
    assertThat(counted.calls("AutoScalingGroups.startRefresh")).isZero();
    assertThat(cluster.client().v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getMessage()).contains("none is replaced"));

    // One On-Demand, the rest Spot, replaced on rebalance recommendations: a rollout.
    cluster.edit(
        NS,
        "directory",
        a -> {
          a.getSpec().instances.onDemandBaseCapacity = 1;
          a.getSpec().instances.onDemandPercentageAboveBase = 0;
          a.getSpec().instances.capacityRebalance = true;
        });
    var spot =
        awaitApp(
            "directory",
            ready()
                .and(a -> Map.of("OnDemand", 1, "Spot", 1).equals(a.getStatus().purchaseOptions)),
            "one On-Demand and one Spot");
    assertThat(counted.calls("AutoScalingGroups.startRefresh")).isEqualTo(1);
    assertThat(counted.calls("AutoScalingGroups.create"))
        .as("the group is never recreated")
        .isOne();
    assertThat(spot.getStatus().replicas).isEqualTo(2);

    // EC2 reclaims the Spot instance: its replacement is in service before it goes.
    var lowest = new AtomicInteger(Integer.MAX_VALUE);
    time.onTick(
        () ->
            lowest.accumulateAndGet(
                sim.view(group).orElseThrow().inServiceByType().values().stream()
                    .mapToInt(Long::intValue)
                    .sum(),
                Math::min));
    String spotBefore = spotInstance(group);
    assertThat(spotBefore).isNotEmpty();
    sim.faults().interruptSpot(group);
    await()
        .atMost(WAIT)
        .until(() -> !spotInstance(group).equals(spotBefore) && !spotInstance(group).isEmpty());
    assertThat(lowest.get()).as("instances in service through the interruption").isEqualTo(2);
  }

  /** The id of the group's Spot instance in service ("" when none). */
  String spotInstance(String group) {
    var g = sim.forRegion(null).autoScalingGroups().find(group).orElseThrow();
    var spot =
        sim.forRegion(null)
            .purchases()
            .spot(g.instances().stream().filter(i -> i.inService()).map(i -> i.id()).toList());
    return spot.stream().findFirst().orElse("");
  }

  @Test
  void aWarmPoolServesScaleOutSoonerThanColdLaunchesAndGoesWhenDropped() {
    var warm = app("warm", 1, 4);
    warm.getSpec().warmPool = new WarmPoolSpec();
    warm.getSpec().warmPool.minSize = 2;
    warm.getSpec().warmPool.maxGroupPreparedCapacity = 3;
    cluster.apply(warm);
    cluster.apply(app("cold", 1, 4));
    time.start();
    var ready =
        awaitApp(
            "warm",
            ready().and(a -> a.getStatus().warmPool != null && a.getStatus().warmPool.size == 2),
            "Ready with two warm instances");
    assertThat(ready.getStatus().warmPool.poolState).isEqualTo("Stopped");
    awaitApp("cold", ready(), "cold Ready");
    // Let the pool's instances finish initialising.
    await()
        .atMost(WAIT)
        .until(
            () ->
                sim.view(AppNames.of(NS, "warm").autoScalingGroup())
                        .orElseThrow()
                        .warmReady()
                        .size()
                    == 2);

    // Both scale out at once; the simulated time each first has three instances in service.
    var at = new java.util.concurrent.ConcurrentHashMap<String, Instant>();
    time.onTick(
        () ->
            List.of("warm", "cold")
                .forEach(
                    n ->
                        sim.view(AppNames.of(NS, n).autoScalingGroup())
                            .filter(
                                v ->
                                    v.inServiceByType().values().stream().mapToLong(x -> x).sum()
                                        >= 3)
                            .ifPresent(v -> at.putIfAbsent(n, clock.instant()))));
    Instant start = clock.instant();
    cluster.edit(NS, "warm", a -> a.getSpec().capacity.desired = 3);
    cluster.edit(NS, "cold", a -> a.getSpec().capacity.desired = 3);
    awaitApp("warm", ready().and(a -> a.getStatus().replicas == 3), "warm at 3");
    awaitApp("cold", ready().and(a -> a.getStatus().replicas == 3), "cold at 3");
    Duration warmTook = Duration.between(start, at.get("warm"));
    Duration coldTook = Duration.between(start, at.get("cold"));
    // A cold launch boots and initialises (40 s here); a stopped warm instance only starts.
    assertThat(warmTook)
        .as("scale-out from the warm pool (cold: %s)", coldTook)
        .isLessThan(coldTook.minusSeconds(20));

    // Dropped from the spec: the pool goes, the group stays.
    cluster.edit(NS, "warm", a -> a.getSpec().warmPool = null);
    awaitApp("warm", ready().and(a -> a.getStatus().warmPool == null), "no warm pool");
    assertThat(counted.calls("AutoScalingGroups.deleteWarmPool")).isOne();
    assertThat(counted.calls("AutoScalingGroups.delete")).isZero();
  }

  @Test
  void aTypeAwsDoesNotOfferInTheZonesIsDegradedWithAwsMessageAndNoHotLoop() throws Exception {
    String message =
        "You must use a valid fully-formed launch template. Your requested instance type"
            + " (c7gn.large) is not supported in your requested Availability Zone (us-east-1b)."
            + " Please retry your request by not specifying an Availability Zone or choosing"
            + " us-east-1a.";
    sim.faults().refuseInstanceType("c7gn.large", message);
    var app = app("gravity", 1, 2);
    app.getSpec().instanceType = null;
    app.getSpec().instances = mix("t3.micro", "c7gn.large");
    cluster.apply(app);
    time.start();

    var degraded =
        awaitApp(
            "gravity",
            a ->
                a.getStatus().phase == Phase.Degraded
                    && a.getStatus().condition("Degraded").isPresent(),
            "Degraded");
    var condition = degraded.getStatus().condition("Degraded").orElseThrow();
    assertThat(condition.reason).isEqualTo("AwsError");
    assertThat(condition.message)
        .startsWith("spec.instances: AWS rejected CreateAutoScalingGroup: ValidationError: ")
        .contains("(c7gn.large) is not supported in your requested Availability Zone");

    int attempts = counted.calls("AutoScalingGroups.create");
    Instant from = clock.instant();
    Thread.sleep(3_000);
    long simulatedSeconds = Duration.between(from, clock.instant()).toSeconds();
    // Retried with backoff (5 s doubling up to 5 min, in the operator's clock), not in a loop:
    // at most one attempt per doubling in the time that passed.
    int allowed = 2 + (int) Math.ceil(Math.log(Math.max(1, simulatedSeconds / 5.0)) / Math.log(2));
    assertThat(counted.calls("AutoScalingGroups.create") - attempts)
        .as("attempts in %d simulated seconds", simulatedSeconds)
        .isLessThanOrEqualTo(allowed);
    assertThat(sim.view(AppNames.of(NS, "gravity").autoScalingGroup())).isEmpty();

    // Without the type AWS does not offer, the app comes up.
    cluster.edit(NS, "gravity", a -> a.getSpec().instances = mix("t3.micro", "t3a.micro"));
    awaitApp("gravity", ready(), "Ready without c7gn.large");
  }
}
