package io.scalableapp.sandbox.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.plan.AppNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the simulated cloud models beyond the calls moto has: time, health, scaling, refreshes. */
class SimulatedCloudTest {
  static final HealthCheckConfig HC = new HealthCheckConfig("/", 10, 5, 2, 2, "200");
  SimClock clock;
  SimulatedCloud sim;
  Cloud cloud;
  String lt;
  String tg;
  List<String> subnets;

  static LaunchTemplateData data(String type) {
    return new LaunchTemplateData("ami-0123456789abcdef0", type, null, null, List.of(), null, null);
  }

  @BeforeEach
  void world() {
    clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    sim = new SimulatedCloud(clock);
    cloud = sim.forRegion(null);
    subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    lt = cloud.launchTemplates().create("web", data("t3.micro"), Map.of(), "t1");
    tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web", "HTTP", 80, "vpc-1", HC), Map.of())
            .arn();
  }

  void group(int min, int max, int desired) {
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig(
                "web", lt, 1, min, max, desired, subnets, List.of(tg), HealthCheckType.ELB, 60),
            Map.of());
  }

  /** The group, created with a drain hook of {@code seconds}. */
  void groupWithDrain(int min, int max, int desired, int seconds) {
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig(
                "web",
                lt,
                1,
                min,
                max,
                desired,
                subnets,
                List.of(tg),
                HealthCheckType.ELB,
                60,
                null,
                false,
                List.of(io.scalableapp.operator.cloud.LifecycleHookConfig.drain(seconds))),
            Map.of());
  }

  ObservedGroup observe() {
    return cloud.autoScalingGroups().find("web").orElseThrow();
  }

  void run(Duration d) {
    for (long s = 0; s < d.toSeconds(); s += 5) {
      clock.advance(Duration.ofSeconds(5));
      sim.tick();
    }
  }

  @Test
  void aDrainHookHoldsALeavingInstanceOutOfTheTargetGroupForItsTimeoutThenItTerminates() {
    groupWithDrain(1, 2, 2, 300);
    assertThat(cloud.autoScalingGroups().lifecycleHooks("web"))
        .as("created with its hooks")
        .hasSize(1);
    run(Duration.ofMinutes(3));
    assertThat(observe().inService()).isEqualTo(2);

    cloud
        .autoScalingGroups()
        .update(
            new io.scalableapp.operator.cloud.GroupUpdate(
                "web", null, null, 1, null, null, null, null, null, null));
    run(Duration.ofMinutes(2));

    var leaving =
        observe().instances().stream()
            .filter(i -> i.lifecycleState() == LifecycleState.TerminatingWait)
            .toList();
    assertThat(leaving).as("waiting on the drain hook, out of the target group").hasSize(1);
    assertThat(cloud.targetGroups().find("web").orElseThrow().healthyTargets()).isEqualTo(1);

    run(Duration.ofMinutes(5));
    assertThat(observe().instances()).as("gone after the heartbeat timeout").hasSize(1);
  }

  @Test
  void deletingTheGroupEndsTheWaitOfItsHooksAtOnce() {
    groupWithDrain(1, 1, 1, 7200);
    run(Duration.ofMinutes(3));

    cloud.autoScalingGroups().delete("web");
    run(Duration.ofMinutes(3));

    assertThat(cloud.autoScalingGroups().find("web")).isEmpty();
  }

  @Test
  void instancesLaunchAcrossZonesAndBecomeHealthyTargets() {
    group(4, 4, 4);
    assertThat(observe().instances()).isEmpty();

    run(Duration.ofSeconds(10));
    assertThat(observe().instances())
        .hasSize(4)
        .allSatisfy(i -> assertThat(i.lifecycleState()).isEqualTo(LifecycleState.Pending));

    run(Duration.ofMinutes(2));
    var g = observe();
    assertThat(g.inService()).isEqualTo(4);
    assertThat(
            g.instances().stream()
                .collect(
                    Collectors.groupingBy(
                        ObservedInstance::availabilityZone, Collectors.counting())))
        .containsEntry("us-east-1a", 2L)
        .containsEntry("us-east-1b", 2L);
    assertThat(cloud.targetGroups().find("web").orElseThrow().healthyTargets()).isEqualTo(4);
  }

  @Test
  void cpuAboveTargetScalesOutUpToMaxAndBackInAfterTheCooldown() {
    group(2, 6, 2);
    cloud.autoScalingGroups().putPolicy("web", new ScalingPolicyConfig("cpu", 50, 60, false));
    run(Duration.ofMinutes(3));

    sim.faults().setCpuDemand("web", 500); // five instances' worth of work
    run(Duration.ofMinutes(10));
    assertThat(observe().desired()).isEqualTo(6);
    assertThat(observe().inService()).isEqualTo(6);

    sim.faults().setCpuDemand("web", 20);
    run(Duration.ofMinutes(30));
    assertThat(observe().desired()).isEqualTo(2);
  }

  @Test
  void disabledScaleInOnlyScalesOut() {
    group(2, 6, 2);
    cloud.autoScalingGroups().putPolicy("web", new ScalingPolicyConfig("cpu", 50, 60, true));
    run(Duration.ofMinutes(3));
    sim.faults().setCpuDemand("web", 300);
    run(Duration.ofMinutes(10));
    int peak = observe().desired();
    sim.faults().setCpuDemand("web", 0);
    run(Duration.ofMinutes(30));
    assertThat(observe().desired()).isEqualTo(peak).isGreaterThan(2);
  }

  @Test
  void refreshReplacesEveryInstanceKeepingMinHealthy() {
    group(4, 4, 4);
    run(Duration.ofMinutes(3));
    long v2 = cloud.launchTemplates().createVersion(lt, data("t3.small"), "t2");

    cloud
        .autoScalingGroups()
        .startRefresh("web", lt, v2, new RefreshPreferences(75, 100, 30, true, true));
    int lowest = Integer.MAX_VALUE;
    for (int i = 0; i < 200 && cloud.autoScalingGroups().refreshes("web").get(0).active(); i++) {
      run(Duration.ofSeconds(10));
      lowest = Math.min(lowest, sim.healthyInService("web"));
    }

    var refresh = cloud.autoScalingGroups().refreshes("web").get(0);
    assertThat(refresh.status()).isEqualTo(RefreshStatus.Successful);
    assertThat(refresh.percentComplete()).isEqualTo(100);
    assertThat(lowest).isGreaterThanOrEqualTo(3);
    var g = observe();
    assertThat(g.launchTemplateVersion()).isEqualTo(v2);
    assertThat(g.instances()).allSatisfy(i -> assertThat(i.instanceType()).isEqualTo("t3.small"));
  }

  @Test
  void oneRefreshAtATimeAndCancelStopsIt() {
    group(4, 4, 4);
    run(Duration.ofMinutes(3));
    long v2 = cloud.launchTemplates().createVersion(lt, data("t3.small"), "t2");
    var prefs = new RefreshPreferences(50, 100, 300, true, true);
    cloud.autoScalingGroups().startRefresh("web", lt, v2, prefs);

    assertThatThrownBy(() -> cloud.autoScalingGroups().startRefresh("web", lt, v2, prefs))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.IN_USE));

    run(Duration.ofSeconds(20));
    cloud.autoScalingGroups().cancelRefresh("web");
    assertThat(cloud.autoScalingGroups().refreshes("web").get(0).status())
        .isEqualTo(RefreshStatus.Cancelling);
    run(Duration.ofSeconds(10));
    assertThat(cloud.autoScalingGroups().refreshes("web").get(0).status())
        .isEqualTo(RefreshStatus.Cancelled);
    assertThat(observe().launchTemplateVersion())
        .as("a cancelled refresh leaves the group's version")
        .isEqualTo(1L);
  }

  @Test
  void unhealthyNewVersionFailsTheRefreshAndRollsBack() {
    group(2, 4, 2);
    run(Duration.ofMinutes(3));
    long v2 = cloud.launchTemplates().createVersion(lt, data("t3.small"), "t2");
    sim.faults().failHealthChecksOf(lt, v2);

    cloud
        .autoScalingGroups()
        .startRefresh("web", lt, v2, new RefreshPreferences(50, 100, 30, true, true));
    for (int i = 0; i < 400 && cloud.autoScalingGroups().refreshes("web").get(0).active(); i++) {
      run(Duration.ofSeconds(10));
    }
    run(Duration.ofMinutes(2));

    var refresh = cloud.autoScalingGroups().refreshes("web").get(0);
    assertThat(refresh.status()).isEqualTo(RefreshStatus.RollbackSuccessful);
    assertThat(refresh.targetVersion())
        .as("AWS keeps reporting the desired configuration")
        .isEqualTo(v2);
    assertThat(refresh.statusReason()).contains("failed their health checks");
    var g = observe();
    assertThat(g.launchTemplateVersion()).isEqualTo(1L);
    assertThat(g.instances())
        .filteredOn(ObservedInstance::inService)
        .allSatisfy(i -> assertThat(i.instanceType()).isEqualTo("t3.micro"))
        .hasSize(2);
  }

  @Test
  void targetGroupInUseCannotBeDeletedAndGroupDeletionTakesTime() {
    group(2, 2, 2);
    run(Duration.ofMinutes(2));
    assertThatThrownBy(() -> cloud.targetGroups().delete(tg))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.IN_USE));

    cloud.autoScalingGroups().delete("web");
    assertThat(observe().deleting()).isTrue();
    run(Duration.ofMinutes(1));
    assertThat(cloud.autoScalingGroups().find("web")).isEmpty();
    cloud.targetGroups().delete(tg);
    assertThat(cloud.targetGroups().find("web")).isEmpty();
  }

  @Test
  void aLoadBalancerNameBeginningWithInternalIsRefusedAsAwsRefusesIt() {
    assertThatThrownBy(
            () ->
                cloud
                    .loadBalancers()
                    .create(
                        new LoadBalancerConfig("internal-web-1a2b", "internal", subnets, List.of()),
                        Map.of()))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_REQUEST);
              assertThat(e.awsMessage()).contains("cannot begin with 'internal-'");
            });
    var names = AppNames.of("shop", "internal-web");
    cloud
        .loadBalancers()
        .create(
            new LoadBalancerConfig(names.loadBalancer(), "internal", subnets, List.of()), Map.of());
    assertThat(cloud.loadBalancers().find(names.loadBalancer())).isPresent();
  }

  @Test
  void defaultVersionCannotBeDeletedOthersCan() {
    long v2 = cloud.launchTemplates().createVersion(lt, data("t3.small"), "t2");
    cloud.launchTemplates().setDefaultVersion(lt, v2);
    assertThatThrownBy(() -> cloud.launchTemplates().deleteVersions(lt, List.of(v2)))
        .isInstanceOf(CloudException.class);
    cloud.launchTemplates().deleteVersions(lt, List.of(1L));
    assertThat(cloud.launchTemplates().find("web").orElseThrow().defaultVersion()).isEqualTo(v2);
  }

  @Test
  void failedLaunchesLeaveAFailedActivityAndNoInstance() {
    sim.faults()
        .failLaunchesFromImage(
            "ami-0123456789abcdef0", "The image id '[ami-0123456789abcdef0]' does not exist");
    group(2, 2, 2);
    run(Duration.ofMinutes(1));

    assertThat(observe().instances()).isEmpty();
    var latest = cloud.autoScalingGroups().activities("web").get(0);
    assertThat(latest.failed()).isTrue();
    assertThat(latest.statusMessage()).contains("does not exist");

    sim.faults().healLaunches();
    run(Duration.ofMinutes(2));
    assertThat(observe().inService()).isEqualTo(2);
    assertThat(cloud.autoScalingGroups().activities("web").get(0).status()).isEqualTo("Successful");
  }
}
