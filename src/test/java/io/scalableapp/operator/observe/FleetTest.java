package io.scalableapp.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.ElbEffect;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's region-wide observation against the simulated cloud, every call counted: what a poll
 * serves is what reading by name shows, an app at rest costs no call, drift shows in the app's
 * slice, and a poll that fails halfway replaces nothing.
 */
class FleetTest {
  static final String REGION = "us-east-1";
  static final Duration RESYNC = Duration.ofMinutes(5);
  static final LaunchTemplateData DATA =
      new LaunchTemplateData(
          "ami-0123456789abcdef0",
          "t3.micro",
          "IyEvYmluL2Jhc2gK",
          null,
          List.of("sg-0000000a"),
          null,
          new LaunchTemplateData.Volume("/dev/xvda", 20, "gp3"));
  static final HealthCheckConfig HC = new HealthCheckConfig("/health", 30, 5, 3, 2, "200");

  SimClock clock;
  SimulatedCloud sim;
  InterceptedCloud counted;
  Cloud cloud;
  Fleet fleet;
  List<String> subnets;

  @BeforeEach
  void world() {
    clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    sim = new SimulatedCloud(clock);
    subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    counted = new InterceptedCloud(sim);
    cloud = sim.forRegion(REGION);
    fleet = new Fleet(counted, clock, RESYNC);
  }

  static String owner(int i) {
    return "shop/web-" + i;
  }

  static AppNames names(int i) {
    return AppNames.of("shop", "web-" + i);
  }

  /** App i's resources as the operator makes them: template, target group, group, policy, ALB. */
  void createApp(int i) {
    AppNames n = names(i);
    var tags = Tags.forApp(owner(i), Map.of("team", "hr"));
    String lt = cloud.launchTemplates().create(n.launchTemplate(), DATA, tags, "token-" + i);
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig(n.targetGroup(), "HTTP", 80, "vpc-1", HC), tags)
            .arn();
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig(
                n.autoScalingGroup(), lt, 1, 1, 2, 1, subnets, List.of(tg), HealthCheckType.ELB, 0),
            tags);
    cloud
        .autoScalingGroups()
        .putPolicy(n.autoScalingGroup(), new ScalingPolicyConfig(n.policy(), 50.0, 120, false));
    String lb =
        cloud
            .loadBalancers()
            .create(
                new LoadBalancerConfig(n.loadBalancer(), "internet-facing", subnets, List.of()),
                tags)
            .arn();
    cloud.loadBalancers().createListener(lb, 80, tg, tags);
  }

  ObservedApp atRest(int i) {
    return fleet.atRest(REGION, owner(i), names(i), subnets, true).orElseThrow();
  }

  /** Lets instances launch and pass their health checks. */
  void settle() {
    for (int t = 0; t < 30; t++) {
      clock.advance(Duration.ofSeconds(10));
      sim.tick();
    }
  }

  @Test
  void whatAPollServesIsWhatReadingTheAppByNameShows() {
    createApp(1);
    settle();

    ObservedApp served = atRest(1);
    ObservedApp read = new AppObserver(sim).observe(REGION, names(1), subnets, false, true);

    assertThat(served.subnets()).isEqualTo(read.subnets());
    assertThat(served.launchTemplate()).isEqualTo(read.launchTemplate());
    assertThat(served.group()).isEqualTo(read.group());
    assertThat(served.policy()).isEqualTo(read.policy()).isPresent();
    assertThat(served.targetGroup()).isEqualTo(read.targetGroup());
    assertThat(served.targetGroup().orElseThrow().healthyTargets())
        .as("derived from the group's instance health, as the target group reports it")
        .isEqualTo(1);
    assertThat(served.loadBalancer()).isEqualTo(read.loadBalancer()).isPresent();
    assertThat(served.replacementTargetGroup()).isEmpty();
  }

  @Test
  void appsAtRestCostNoCallOnceSeenAndOnePollServesThemAll() {
    for (int i = 0; i < 3; i++) {
      createApp(i);
    }
    settle();
    for (int i = 0; i < 3; i++) {
      atRest(i);
    }
    assertThat(counted.calls("AutoScalingGroups.listManaged")).as("one poll").isEqualTo(1);
    counted.resetCounts();

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        atRest(i);
      }
    }

    assertThat(counted.totalCalls()).as("AWS calls for apps at rest").isZero();
  }

  @Test
  void aPollOfAHundredAppsCostsEightReads() {
    for (int i = 0; i < 100; i++) {
      createApp(i);
    }
    settle();
    for (int i = 0; i < 100; i++) {
      atRest(i);
    }
    counted.resetCounts();

    fleet.poll();

    assertThat(counted.readCalls()).as("reads of one poll for 100 apps").isLessThanOrEqualTo(8);
    assertThat(counted.mutatingCalls()).isZero();
  }

  @Test
  void aGroupWithoutTheOperatorsHooksIsAskedForThemOnceUnlessTheSpecWantsSome() {
    createApp(1);
    settle();
    var observer = new AppObserver(counted, fleet);
    counted.resetCounts();

    for (int i = 0; i < 3; i++) {
      fleet.changed(REGION, owner(1), names(1), ElbEffect.NONE);
      var read = observer.observe(owner(1), REGION, names(1), subnets, false, true, false, false);
      assertThat(read.lifecycleHooks()).contains(List.of());
    }
    assertThat(counted.calls("AutoScalingGroups.lifecycleHooks")).isEqualTo(1);

    // The spec asks for hooks: read each time the app changes (the operator puts them).
    observer.observe(owner(1), REGION, names(1), subnets, false, true, false, true);
    observer.observe(owner(1), REGION, names(1), subnets, false, true, false, true);
    assertThat(counted.calls("AutoScalingGroups.lifecycleHooks")).isEqualTo(3);
  }

  @Test
  void afterTheOperatorChangesAnAppItIsNotServedFromAPollThatBeganBefore() {
    createApp(1);
    atRest(1);
    fleet.changed(REGION, owner(1), names(1), ElbEffect.NONE);
    // The clock has not moved: a poll now begins at the same instant as the change.
    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true))
        .as("never judged by a state as old as its own change")
        .isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true)).isPresent();
  }

  @Test
  void anAppBeingChangedIsReadByNameWithItsElbDetailsReadAgainOnlyAfterAChangeToThem() {
    createApp(1);
    settle();
    atRest(1);
    var observer = new AppObserver(counted, fleet);
    ObservedApp plain = new AppObserver(sim).observe(REGION, names(1), subnets, false, true);
    counted.resetCounts();

    fleet.changed(REGION, owner(1), names(1), ElbEffect.NONE);
    ObservedApp read = observer.observe(REGION, names(1), subnets, false, true);

    assertThat(read.targetGroup()).isEqualTo(plain.targetGroup());
    assertThat(read.loadBalancer()).isEqualTo(plain.loadBalancer());
    assertThat(counted.calls("TargetGroups.findHead"))
        .as("the target group, by name; no replacement, as the poll showed")
        .isEqualTo(1);
    assertThat(counted.calls("LoadBalancers.findHead")).isEqualTo(1);
    assertThat(counted.calls("LoadBalancers.tags") + counted.calls("TargetGroups.attributes"))
        .as("tags and attributes the operator did not change are not read again")
        .isZero();
    assertThat(counted.calls("TargetGroups.healthyTargets"))
        .as("health derived from a group checking ELB health of this target group alone")
        .isZero();

    String tg = read.targetGroup().orElseThrow().arn();
    cloud.targetGroups().retag(tg, new TagChange(Map.of("cost", "42"), java.util.Set.of()));
    fleet.changed(REGION, owner(1), names(1), ElbEffect.CHANGES);
    counted.resetCounts();
    read = observer.observe(REGION, names(1), subnets, false, true);

    assertThat(read.targetGroup().orElseThrow().tags()).containsEntry("cost", "42");
    assertThat(counted.calls("LoadBalancers.tags"))
        .as("target group and load balancer")
        .isEqualTo(2);
  }

  @Test
  void anAppDeletedAndMadeAgainUnderItsNameIsNotServedFromAPollOfTheOldOne() {
    createApp(1);
    atRest(1);
    fleet.changed(REGION, owner(1), names(1), ElbEffect.CHANGES);
    cloud.autoScalingGroups().delete(names(1).autoScalingGroup());
    fleet.forget(owner(1));

    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true))
        .as("the last poll began before the delete: the new app is read by name")
        .isEmpty();
    int polls = counted.calls("AutoScalingGroups.listManaged");
    clock.advance(Duration.ofSeconds(1));
    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true))
        .as("served by a poll begun after the delete")
        .isPresent();
    assertThat(counted.calls("AutoScalingGroups.listManaged")).isEqualTo(polls + 1);
  }

  @Test
  void aTargetGroupTheLastPollDidNotFindIsLookedForOnlyOnceTheOperatorCreatesIt() {
    createApp(1);
    atRest(1);
    AppNames n = names(2);
    var observer = new AppObserver(counted, fleet);
    fleet.atRest(REGION, owner(2), n, subnets, true);
    fleet.changed(REGION, owner(2), n, ElbEffect.NONE);
    counted.resetCounts();

    assertThat(observer.observe(REGION, n, subnets, false, true).targetGroup()).isEmpty();
    assertThat(counted.calls("TargetGroups.findHead") + counted.calls("LoadBalancers.findHead"))
        .as(
            "the poll listed every target group and load balancer of the region: none has the names")
        .isZero();

    fleet.changed(REGION, owner(2), n, ElbEffect.createsTargetGroup(n.targetGroup()));
    cloud
        .targetGroups()
        .create(
            new TargetGroupConfig(n.targetGroup(), "HTTP", 80, "vpc-1", HC),
            Tags.forApp(owner(2), Map.of()));
    var read = observer.observe(REGION, n, subnets, false, true);

    assertThat(read.targetGroup()).isPresent();
    assertThat(read.replacementTargetGroup()).isEmpty();
    assertThat(counted.calls("TargetGroups.findHead"))
        .as("the one created, not the other")
        .isEqualTo(1);
  }

  @Test
  void aTargetGroupTheOperatorCreatedIsFoundWhileAPollIsBeingTaken() {
    createApp(1);
    atRest(1);
    AppNames n = names(2);
    clock.advance(Duration.ofSeconds(1));
    fleet.changed(REGION, owner(2), n, ElbEffect.createsTargetGroup(n.targetGroup()));
    cloud
        .targetGroups()
        .create(
            new TargetGroupConfig(n.targetGroup(), "HTTP", 80, "vpc-1", HC),
            Tags.forApp(owner(2), Map.of()));
    fleet.changed(REGION, owner(2), n, ElbEffect.createsTargetGroup(n.targetGroup()));
    clock.advance(Duration.ofSeconds(1));
    var seen = new ArrayList<Object>();
    var once = new java.util.concurrent.atomic.AtomicBoolean();
    counted.onCall(
        (method, args) -> {
          // A reconcile reads the target group while the poll reads tags, after its listings.
          if (method.equals("LoadBalancers.tags") && once.compareAndSet(false, true)) {
            seen.add(
                Optional.ofNullable(
                    fleet.targetGroupByName(REGION, n.targetGroup(), Optional.empty())));
          }
        });

    fleet.poll();

    assertThat(seen)
        .as("the poll began after the create: its inventory, not the one before, answers")
        .singleElement()
        .satisfies(tg -> assertThat((Optional<?>) tg).isPresent());
  }

  @Test
  void whatAwsAnsweredTheOperatorsCreateWithIsNotReadBack() {
    createApp(1);
    atRest(1);
    AppNames n = names(2);
    var observer = new AppObserver(counted, fleet);
    fleet.atRest(REGION, owner(2), n, subnets, true);
    var config = new TargetGroupConfig(n.targetGroup(), "HTTP", 80, "vpc-1", HC);

    fleet.changed(REGION, owner(2), n, ElbEffect.createsTargetGroup(n.targetGroup()));
    fleet.created(REGION, cloud.targetGroups().create(config, Tags.forApp(owner(2), Map.of())));
    counted.resetCounts();
    var read = observer.observe(REGION, n, subnets, false, true);

    assertThat(read.targetGroup().orElseThrow().config()).isEqualTo(config);
    assertThat(read.targetGroup().orElseThrow().tags()).containsEntry(Tags.OWNER, owner(2));
    assertThat(counted.calls("TargetGroups.findHead") + counted.calls("TargetGroups.find"))
        .as("the create's answer stands for the read")
        .isZero();
  }

  @Test
  void anAppBeingChangedReadsItsElbResourcesOncePerPollAndAfterTheOperatorChangesThem() {
    createApp(1);
    atRest(1);
    var observer = new AppObserver(counted, fleet);
    fleet.changed(REGION, owner(1), names(1), ElbEffect.NONE);
    observer.observe(REGION, names(1), subnets, false, true);
    counted.resetCounts();

    fleet.changed(REGION, owner(1), names(1), ElbEffect.NONE);
    observer.observe(REGION, names(1), subnets, false, true);
    assertThat(counted.calls("TargetGroups.findHead") + counted.calls("LoadBalancers.findHead"))
        .as("the operator changed none of them since they were read")
        .isZero();
    assertThat(counted.calls("AutoScalingGroups.find")).as("the rest is read by name").isEqualTo(1);

    var health = new HealthCheckConfig("/ready", 15, 5, 2, 2, "200");
    String tg = cloud.targetGroups().find(names(1).targetGroup()).orElseThrow().arn();
    cloud.targetGroups().modifyHealthCheck(tg, health);
    clock.advance(RESYNC);
    fleet.poll();
    counted.resetCounts();
    var read = observer.observe(REGION, names(1), subnets, false, true);
    assertThat(read.targetGroup().orElseThrow().config().healthCheck())
        .as("changed by hand: seen once a poll has run")
        .isEqualTo(health);
    assertThat(counted.calls("TargetGroups.findHead")).isEqualTo(1);

    fleet.changed(REGION, owner(1), names(1), ElbEffect.CHANGES);
    counted.resetCounts();
    observer.observe(REGION, names(1), subnets, false, true);
    assertThat(counted.calls("TargetGroups.findHead") + counted.calls("LoadBalancers.findHead"))
        .as("after the operator's own ELBv2 change")
        .isEqualTo(2);
  }

  @Test
  void detailsAPollReadWhileTheOperatorChangedThemAreNotUsedAfterTheChange() {
    createApp(1);
    atRest(1);
    var observer = new AppObserver(counted, fleet);
    String tg = cloud.targetGroups().find(names(1).targetGroup()).orElseThrow().arn();
    var once = new java.util.concurrent.atomic.AtomicBoolean();
    counted.onCall(
        (method, args) -> {
          // The poll is reading the app's tags when the operator starts changing them.
          if (method.equals("LoadBalancers.tags") && once.compareAndSet(false, true)) {
            clock.advance(Duration.ofMillis(1));
            fleet.changed(REGION, owner(1), names(1), ElbEffect.CHANGES);
          }
        });
    clock.advance(Duration.ofSeconds(1));
    fleet.poll();
    assertThat(once).as("the poll read the app's details").isTrue();
    cloud.targetGroups().retag(tg, new TagChange(Map.of("cost", "42"), java.util.Set.of()));
    clock.advance(Duration.ofMillis(1));

    var read = observer.observe(REGION, names(1), subnets, false, true);

    assertThat(read.targetGroup().orElseThrow().tags())
        .as("read again: the poll's read began before the change")
        .containsEntry("cost", "42");
  }

  @Test
  void driftMadeByHandChangesTheAppsSliceAndOnlyItsOwn() {
    createApp(1);
    createApp(2);
    atRest(1);
    atRest(2);
    Map<String, Fleet.Slice> before = byOwner(fleet.poll());

    cloud
        .autoScalingGroups()
        .update(
            new GroupUpdate(names(1).autoScalingGroup(), null, 5, null, null, null, null, null));
    Map<String, Fleet.Slice> after = byOwner(fleet.poll());

    assertThat(after.get(owner(1))).isNotEqualTo(before.get(owner(1)));
    assertThat(after.get(owner(1)).group().max()).isEqualTo(5);
    assertThat(after.get(owner(2))).isEqualTo(before.get(owner(2)));
  }

  @Test
  void tagsChangedByHandOnAnElbResourceAreSeenWithinAFewPolls() {
    createApp(1);
    atRest(1);
    String tg = cloud.targetGroups().find(names(1).targetGroup()).orElseThrow().arn();
    cloud.targetGroups().retag(tg, new TagChange(Map.of("cost", "42"), java.util.Set.of()));

    fleet.poll();

    assertThat(atRest(1).targetGroup().orElseThrow().tags()).containsEntry("cost", "42");
  }

  @Test
  void aPollThatFailsHalfwayReplacesNothingAndNoAppIsJudgedMissing() {
    createApp(1);
    assertThat(atRest(1).group().orElseThrow().max()).isEqualTo(2);
    cloud
        .autoScalingGroups()
        .update(
            new GroupUpdate(names(1).autoScalingGroup(), null, 5, null, null, null, null, null));
    counted.failOn(
        "LoadBalancers.list",
        () -> new CloudException(CloudException.Kind.TRANSIENT, "Throttling", "Rate exceeded"));

    fleet.poll();
    assertThat(atRest(1).group().orElseThrow().max())
        .as("the last complete poll still serves: the half-done one replaced nothing")
        .isEqualTo(2);

    clock.advance(RESYNC);
    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true))
        .as("too old to serve, and no complete poll to replace it: the app is read by name")
        .isEmpty();
    int polls = counted.calls("LoadBalancers.list");
    counted.heal();
    assertThat(fleet.atRest(REGION, owner(1), names(1), subnets, true))
        .as("no new poll right after a failed one: read by name meanwhile")
        .isEmpty();
    assertThat(counted.calls("LoadBalancers.list")).isEqualTo(polls);

    clock.advance(RESYNC.dividedBy(10));
    assertThat(atRest(1).group().orElseThrow().max()).as("a complete poll").isEqualTo(5);
  }

  @Test
  void anotherOwnersTargetGroupUnderTheAppsNameIsServedWithItsOwnTags() {
    AppNames n = names(1);
    cloud
        .targetGroups()
        .create(
            new TargetGroupConfig(n.targetGroup(), "HTTP", 80, "vpc-1", HC),
            Map.of(Tags.OWNER, "payroll/web"));

    var served = fleet.atRest(REGION, owner(1), n, subnets, true).orElseThrow();

    assertThat(served.targetGroup().orElseThrow().tags()).containsEntry(Tags.OWNER, "payroll/web");
    assertThat(served.group()).isEmpty();
  }

  static Map<String, Fleet.Slice> byOwner(List<Fleet.Slice> slices) {
    return slices.stream().collect(Collectors.toMap(Fleet.Slice::owner, Function.identity()));
  }
}
