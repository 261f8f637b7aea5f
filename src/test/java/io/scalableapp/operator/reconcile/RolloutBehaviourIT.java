package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshStatus;
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
 * The real reconciler on the mock API server and the simulated cloud, with simulated time running
 * about 250 times faster than the wall clock: rollouts, failures and scaling as a user lives them.
 */
class RolloutBehaviourIT {
  static final String NS = "hr";
  static final Duration WAIT = Duration.ofSeconds(60);

  SimClock clock;
  SimulatedCloud sim;

  /** The simulated cloud as the operator calls it, calls counted. */
  InterceptedCloud counted;

  EmbeddedCluster cluster;
  TimeDriver time;
  List<String> subnets;
  String group;

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
    group = AppNames.of(NS, "directory").autoScalingGroup();
  }

  @AfterEach
  void close() {
    time.close();
    cluster.close();
  }

  ScalableApp app(int min, int max, int warmupSeconds) {
    var app = Apps.web(NS, "directory", subnets);
    app.getSpec().capacity = new Capacity(min, max, null);
    app.getSpec().targetGroup.healthCheck = new HealthCheck("/", 10, 5, 2, 2, "200");
    app.getSpec().rollout = new RolloutSpec();
    app.getSpec().rollout.minHealthyPercentage = 75;
    app.getSpec().rollout.instanceWarmupSeconds = warmupSeconds;
    return app;
  }

  ScalableApp awaitApp(Predicate<ScalableApp> condition, String what) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .alias(what)
        .until(
            () -> {
              var a = cluster.get(NS, "directory");
              try {
                return a != null && a.getStatus() != null && condition.test(a);
              } catch (NullPointerException notYetThere) {
                return false; // a status field the condition reads is not written yet
              }
            });
    return cluster.get(NS, "directory");
  }

  static Predicate<ScalableApp> phase(Phase phase) {
    return a ->
        a.getStatus().phase == phase
            && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration());
  }

  Map<String, Long> typesInService() {
    return sim.view(group).orElseThrow().inServiceByType();
  }

  int calls(String method) {
    return counted.calls(method);
  }

  @Test
  void instanceTypeChangeRollsEveryInstanceKeepingHealthyCapacity() {
    cluster.apply(app(4, 4, 30));
    time.start();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 4), "four instances Ready");
    // InService comes before the target group's health checks pass: measure from a healthy fleet.
    await().atMost(WAIT).until(() -> sim.healthyInService(group) == 4);
    var lowest = new AtomicInteger(Integer.MAX_VALUE);
    time.onTick(() -> lowest.accumulateAndGet(sim.healthyInService(group), Math::min));

    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.small");

    var done =
        awaitApp(
            phase(Phase.Ready).and(a -> a.getStatus().launchTemplate.version == 2),
            "Ready on version 2");
    assertThat(done.getStatus().rollout.status).isEqualTo("Successful");
    assertThat(done.getStatus().rollout.targetVersion).isEqualTo(2L);
    assertThat(typesInService()).containsOnlyKeys("t3.small").containsEntry("t3.small", 4L);
    assertThat(lowest.get())
        .as("healthy instances in service during the rollout")
        .isGreaterThanOrEqualTo(3);
    assertThat(calls("AutoScalingGroups.startRefresh")).isEqualTo(1);
    assertThat(cluster.client().v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutSucceeded"));
  }

  @Test
  void secondChangeMidRolloutCancelsAndRestartsTowardTheNewestVersion() {
    cluster.apply(app(4, 4, 240));
    time.start();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 4), "four instances Ready");

    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.small");
    awaitApp(
        a ->
            a.getStatus().rollout != null
                && "InProgress".equals(a.getStatus().rollout.status)
                && Long.valueOf(2).equals(a.getStatus().rollout.targetVersion),
        "rolling out version 2");
    var rolling = cluster.get(NS, "directory");
    assertThat(rolling.getStatus().phase).isEqualTo(Phase.Updating);
    assertThat(rolling.getStatus().condition(Condition.PROGRESSING).orElseThrow().reason)
        .isEqualTo("RollingOut");

    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.medium");

    var done =
        awaitApp(
            phase(Phase.Ready).and(a -> a.getStatus().launchTemplate.version == 3),
            "Ready on version 3");
    assertThat(typesInService()).containsOnlyKeys("t3.medium");
    assertThat(calls("AutoScalingGroups.cancelRefresh")).isEqualTo(1);
    var history = sim.forRegion(null).autoScalingGroups().refreshes(group);
    assertThat(history)
        .extracting(ObservedRefresh::targetVersion, ObservedRefresh::status)
        .containsExactly(tuple(3L, RefreshStatus.Successful), tuple(2L, RefreshStatus.Cancelled));
    assertThat(done.getStatus().rollout.targetVersion).isEqualTo(3L);
  }

  @Test
  void failingVersionRollsBackAndIsNotRetried() throws InterruptedException {
    cluster.apply(app(2, 4, 30));
    time.start();
    var ready =
        awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 2), "two instances Ready");
    sim.faults().failHealthChecksOf(ready.getStatus().launchTemplate.id, 2);

    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.small");

    var failed = awaitApp(phase(Phase.Degraded), "Degraded after the rollback");
    var degraded = failed.getStatus().condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.reason).isEqualTo("RolledBack");
    assertThat(degraded.message).contains("version 2").contains("failed their health checks");
    assertThat(failed.getStatus().rollout.failedVersion).isEqualTo(2L);

    Thread.sleep(3_000); // about 12 simulated minutes and many resyncs
    assertThat(calls("AutoScalingGroups.startRefresh")).as("no restart loop").isEqualTo(1);
    awaitApp(a -> typesInService().equals(Map.of("t3.micro", 2L)), "old type everywhere");
    assertThat(cluster.get(NS, "directory").getStatus().phase).isEqualTo(Phase.Degraded);

    // A new spec (a new version) is rolled out again.
    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.medium");
    awaitApp(
        phase(Phase.Ready).and(a -> a.getStatus().launchTemplate.version == 3),
        "Ready on version 3");
    assertThat(typesInService()).containsOnlyKeys("t3.medium");
  }

  @Test
  void cpuSpikeScalesOutToMaxAndBackInWithoutARollout() {
    cluster.apply(app(2, 5, 30));
    time.start();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 2), "two instances Ready");
    var highest = new AtomicInteger();
    time.onTick(() -> highest.accumulateAndGet(sim.view().get(0).desired(), Math::max));

    sim.faults().setCpuDemand(group, 450);
    var scaled = awaitApp(a -> a.getStatus().replicas == 5, "five instances InService");
    assertThat(scaled.getStatus().desiredCapacity).isEqualTo(5);

    sim.faults().setCpuDemand(group, 10);
    awaitApp(a -> a.getStatus().replicas == 2 && a.getStatus().desiredCapacity == 2, "back to two");
    assertThat(highest.get()).isEqualTo(5);
    assertThat(calls("AutoScalingGroups.startRefresh")).isZero();
    assertThat(calls("AutoScalingGroups.update"))
        .as("the operator never fights the policy's desired")
        .isZero();
  }

  @Test
  void operatorKilledBetweenTheNewVersionAndTheRefreshStartsItAfterRestart() {
    cluster.apply(app(2, 4, 30));
    time.start();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 2), "two instances Ready");
    cluster.stopOperator();
    var dying = new InterceptedCloud(sim);
    dying.failOn(
        "AutoScalingGroups.startRefresh", () -> new IllegalStateException("operator killed"));
    cluster.startOperator(dying, clock);

    cluster.edit(NS, "directory", a -> a.getSpec().instanceType = "t3.small");
    await().atMost(WAIT).until(() -> dying.calls("AutoScalingGroups.startRefresh") > 0);
    cluster.stopOperator();
    assertThat(
            sim.forRegion(null)
                .launchTemplates()
                .find(AppNames.of(NS, "directory").launchTemplate())
                .orElseThrow()
                .latestVersion())
        .isEqualTo(2);
    assertThat(calls("AutoScalingGroups.startRefresh")).isZero();

    cluster.startOperator(counted, clock);
    awaitApp(
        phase(Phase.Ready).and(a -> a.getStatus().launchTemplate.version == 2),
        "Ready on version 2");
    assertThat(typesInService()).containsOnlyKeys("t3.small");
    assertThat(calls("AutoScalingGroups.startRefresh")).isEqualTo(1);
  }

  @Test
  void deletionShowsPhaseDeletingUntilTheGroupIsGone() {
    cluster.apply(app(2, 4, 30));
    time.start();
    awaitApp(phase(Phase.Ready), "Ready");

    cluster.client().resources(ScalableApp.class).inNamespace(NS).withName("directory").delete();

    awaitApp(a -> a.getStatus().phase == Phase.Deleting, "phase Deleting");
    await().atMost(WAIT).until(() -> cluster.get(NS, "directory") == null);
    assertThat(sim.view()).isEmpty();
  }

  @Test
  void launchFailuresAreDegradedWithAwsMessageUntilFixed() {
    sim.faults()
        .failLaunchesFromImage(Apps.AMI, "The image id '[" + Apps.AMI + "]' does not exist");
    cluster.apply(app(2, 4, 30));
    time.start();

    var failing = awaitApp(phase(Phase.Degraded), "Degraded while AWS cannot launch");
    var degraded = failing.getStatus().condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.reason).isEqualTo("LaunchFailed");
    assertThat(degraded.message).contains("The image id '[" + Apps.AMI + "]' does not exist");
    assertThat(cluster.client().v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("LaunchFailed"));

    sim.faults().healLaunches();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 2), "Ready once launches work");
  }

  @Test
  void aTagChangeTagsNewInstancesAndReplacesNoRunningOne() {
    cluster.apply(app(2, 4, 30));
    time.start();
    awaitApp(phase(Phase.Ready).and(a -> a.getStatus().replicas == 2), "two instances Ready");
    var before = instanceIds();

    cluster.edit(NS, "directory", a -> a.getSpec().tags = Map.of("team", "payments"));

    awaitApp(
        phase(Phase.Ready).and(a -> a.getStatus().launchTemplate.version == 2),
        "the group on the new version");
    var group = sim.forRegion(null).autoScalingGroups().find(this.group).orElseThrow();
    assertThat(group.tags()).containsEntry("team", "payments");
    assertThat(instanceIds()).isEqualTo(before);
    assertThat(group.instances())
        .as("the running instances stay on the version they were launched with")
        .allSatisfy(i -> assertThat(i.launchTemplateVersion()).isEqualTo(1L));
    assertThat(calls("AutoScalingGroups.startRefresh")).isZero();
    var lt =
        sim.forRegion(null).launchTemplates().find(AppNames.of(NS, "directory").launchTemplate());
    assertThat(lt.orElseThrow().latestData().instanceTags()).containsEntry("team", "payments");

    // Settled: later passes change nothing.
    counted.resetCounts();
    clock.advance(Duration.ofMinutes(5));
    // A resync (every 2 s here) or two, and the status writes they bring.
    await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
    assertThat(counted.mutatingCalls()).isZero();
  }

  List<String> instanceIds() {
    return sim.forRegion(null).autoScalingGroups().find(group).orElseThrow().instances().stream()
        .map(i -> i.id())
        .sorted()
        .toList();
  }

  @Test
  void anAppCalledInternalSomethingGetsALoadBalancerAwsAccepts() {
    var app = Apps.web(NS, "internal-web", subnets);
    app.getSpec().loadBalancer = new LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = subnets;
    cluster.apply(app);
    time.start();

    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = cluster.get(NS, "internal-web");
              return a != null
                  && a.getStatus() != null
                  && a.getStatus().phase == Phase.Ready
                  && a.getStatus().loadBalancer != null
                  && a.getStatus().loadBalancer.dnsName != null;
            });
    assertThat(cluster.get(NS, "internal-web").getStatus().loadBalancer.dnsName)
        .startsWith("sapp-internal-web-");
  }

  @Test
  void aPortChangeMovesTrafficToANewTargetGroupWithoutDowntimeOrReplacingInstances() {
    var names = AppNames.of(NS, "directory");
    var app = app(2, 2, 30);
    app.getSpec().loadBalancer = new LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = subnets;
    cluster.apply(app);
    time.start();
    var before =
        awaitApp(
            phase(Phase.Ready).and(a -> a.getStatus().loadBalancer.dnsName != null),
            "Ready behind its load balancer");
    await().atMost(WAIT).until(() -> sim.reachableBehind(names.loadBalancer()) == 2);
    var lowest = new AtomicInteger(Integer.MAX_VALUE);
    time.onTick(
        () -> lowest.accumulateAndGet(sim.reachableBehind(names.loadBalancer()), Math::min));

    cluster.edit(NS, "directory", a -> a.getSpec().targetGroup.port = 8080);

    var after =
        awaitApp(
            phase(Phase.Ready)
                .and(a -> a.getStatus().targetGroup.name.equals(names.replacementTargetGroup())),
            "Ready on the replacement target group");
    var targetGroups = sim.forRegion("us-east-1").targetGroups();
    await()
        .atMost(WAIT)
        .alias("the old target group deleted")
        .until(() -> targetGroups.find(names.targetGroup()).isEmpty());
    assertThat(targetGroups.find(names.replacementTargetGroup()).orElseThrow().config().port())
        .isEqualTo(8080);
    assertThat(lowest.get())
        .as("healthy targets behind the load balancer during the change")
        .isGreaterThanOrEqualTo(2);
    assertThat(after.getStatus().targetGroup.arn).isNotEqualTo(before.getStatus().targetGroup.arn);
    assertThat(after.getStatus().targetGroup.healthyTargets).isEqualTo(2);
    var lb = sim.forRegion("us-east-1").loadBalancers().find(names.loadBalancer()).orElseThrow();
    assertThat(lb.listeners())
        .singleElement()
        .satisfies(
            l -> assertThat(l.targetGroupArn()).isEqualTo(after.getStatus().targetGroup.arn));
    assertThat(sim.view(group).orElseThrow().healthyTargets()).isEqualTo(2);
    assertThat(calls("AutoScalingGroups.startRefresh")).as("instances replaced").isZero();
    assertThat(calls("TargetGroups.create")).isEqualTo(2);
  }
}
