package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.testing.Apps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests: (spec change, observed AWS state, applied desired) -> actions. */
class PlannerTest {
  static final String NS = "hr";
  static final String NAME = "directory";
  static final List<String> SUBNETS = List.of("subnet-0000000a", "subnet-0000000b");
  static final String LT_ID = "lt-0123456789abcdef0";
  static final String TG_ARN =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1";

  /** The app every case starts from: 2..4 instances, target group, CPU policy at 50%. */
  static ScalableApp app(Consumer<ScalableApp> change) {
    var app = Apps.web(NS, NAME, SUBNETS);
    change.accept(app);
    return app;
  }

  static DesiredApp desired(Consumer<ScalableApp> change) {
    return DesiredApp.from(app(change));
  }

  static final DesiredApp BASE = desired(a -> {});
  static final Map<String, String> OURS = Tags.forApp(NS + "/" + NAME, Map.of("team", "hr"));

  /** AWS holding exactly what {@link #BASE} asks for, with 2 instances InService on version 1. */
  static ObservedApp converged() {
    return ObservedApp.builder()
        .subnets(
            List.of(
                new Subnet(SUBNETS.get(0), "vpc-1", "us-east-1a"),
                new Subnet(SUBNETS.get(1), "vpc-1", "us-east-1b")))
        .launchTemplate(lt(1, BASE.launchTemplate().instanceType()))
        .targetGroup(
            new ObservedTargetGroup(
                TG_ARN, tgConfig(BASE.targetGroup().get().healthCheck()), OURS, 2))
        .group(group(g -> g))
        .policy(BASE.policy().orElseThrow())
        .build();
  }

  static ObservedLaunchTemplate lt(long latest, String instanceType) {
    var d = BASE.launchTemplate();
    var data =
        new io.scalableapp.operator.cloud.LaunchTemplateData(
            d.imageId(),
            instanceType,
            d.userDataBase64(),
            d.instanceProfile(),
            d.securityGroupIds(),
            d.keyName(),
            d.rootVolume());
    return new ObservedLaunchTemplate(LT_ID, BASE.names().launchTemplate(), OURS, latest, 1, data);
  }

  static TargetGroupConfig tgConfig(TargetGroupConfig.HealthCheckConfig hc) {
    return new TargetGroupConfig(BASE.names().targetGroup(), "HTTP", 80, "vpc-1", hc);
  }

  record G(
      int min,
      int max,
      int desired,
      List<String> subnets,
      Long version,
      List<String> tgs,
      Map<String, String> tags,
      String status) {}

  static ObservedGroup group(UnaryOperator<G> change) {
    var g = change.apply(new G(2, 4, 2, SUBNETS, 1L, List.of(TG_ARN), OURS, null));
    var instances = new ArrayList<ObservedInstance>();
    for (int i = 0; i < g.desired(); i++) {
      instances.add(
          new ObservedInstance(
              "i-" + i, "us-east-1a", LifecycleState.InService, true, "t3.micro", g.version()));
    }
    return new ObservedGroup(
        BASE.names().autoScalingGroup(),
        "arn:asg",
        g.min(),
        g.max(),
        g.desired(),
        g.subnets(),
        LT_ID,
        g.version(),
        g.tgs(),
        HealthCheckType.ELB,
        g.tags(),
        instances,
        g.status() != null);
  }

  static ObservedApp with(UnaryOperator<ObservedApp> change) {
    return change.apply(converged());
  }

  static ObservedApp withGroup(UnaryOperator<G> change) {
    return with(o -> o.withGroup(group(change)));
  }

  static Arguments row(
      String name,
      Consumer<ScalableApp> spec,
      ObservedApp observed,
      Integer applied,
      List<String> actions) {
    return Arguments.of(name, desired(spec), observed, applied, actions);
  }

  static Stream<Arguments> cases() {
    Consumer<ScalableApp> same = a -> {};
    ObservedApp nothing = ObservedApp.builder().subnets(converged().subnets()).build();
    return Stream.of(
        row(
            "nothing exists: launch template and target group first",
            same,
            nothing,
            null,
            List.of("CreateLaunchTemplate", "CreateTargetGroup")),
        row(
            "no group yet: create it once its dependencies exist",
            same,
            with(o -> o.toBuilder().group(null).policy(null).build()),
            null,
            List.of("CreateGroup")),
        row("everything matches: nothing to do", same, converged(), null, List.of()),
        row(
            "instance type changed: a new version, the group untouched",
            a -> a.getSpec().instanceType = "t3.small",
            converged(),
            null,
            List.of("CreateLaunchTemplateVersion")),
        row(
            "user data changed: a new version",
            a -> a.getSpec().userData = "#!/bin/bash\necho bye\n",
            converged(),
            null,
            List.of("CreateLaunchTemplateVersion")),
        row(
            "latest version matches but the group uses an older one",
            same,
            with(o -> o.withLaunchTemplate(lt(2, "t3.micro"))),
            null,
            List.of("StartRefresh:roll out launch template version 2")),
        row(
            "min and max drifted in AWS",
            same,
            withGroup(g -> new G(1, 9, 2, g.subnets(), 1L, g.tgs(), g.tags(), null)),
            null,
            List.of("UpdateGroup:min 1 -> 2; max 9 -> 4")),
        row(
            "subnets drifted in AWS",
            same,
            withGroup(g -> new G(2, 4, 2, List.of(SUBNETS.get(0)), 1L, g.tgs(), g.tags(), null)),
            null,
            List.of("UpdateGroup:subnets")),
        row(
            "the group scaled itself: desired is not fought",
            a -> a.getSpec().capacity = new Capacity(2, 4, 2),
            withGroup(g -> new G(2, 4, 4, g.subnets(), 1L, g.tgs(), g.tags(), null)),
            2,
            List.of()),
        row(
            "the spec's desired changed: applied",
            a -> a.getSpec().capacity = new Capacity(2, 4, 3),
            converged(),
            2,
            List.of("UpdateGroup:desired 2 -> 3 (spec changed)")),
        row(
            "min raised above current desired: kept within bounds",
            a -> a.getSpec().capacity = new Capacity(3, 4, null),
            converged(),
            null,
            List.of("UpdateGroup:min 2 -> 3; desired 2 -> 3 (kept within min and max)")),
        row(
            "target group health check drifted",
            same,
            with(
                o ->
                    o.withTargetGroup(
                        new ObservedTargetGroup(
                            TG_ARN,
                            tgConfig(
                                new TargetGroupConfig.HealthCheckConfig(
                                    "/drift", 30, 5, 3, 2, "200")),
                            OURS,
                            2))),
            null,
            List.of("ModifyTargetGroupHealthCheck")),
        row(
            "target group detached in AWS",
            same,
            withGroup(g -> new G(2, 4, 2, g.subnets(), 1L, List.of(), g.tags(), null)),
            null,
            List.of("AttachTargetGroups")),
        row(
            "a foreign target group attached in AWS",
            same,
            withGroup(
                g -> new G(2, 4, 2, g.subnets(), 1L, List.of(TG_ARN, "arn:other"), g.tags(), null)),
            null,
            List.of("DetachTargetGroups")),
        row(
            "policy missing",
            same,
            with(o -> o.toBuilder().policy(null).build()),
            null,
            List.of("PutScalingPolicy")),
        row(
            "policy target drifted",
            same,
            with(o -> o.withPolicy(new ScalingPolicyConfig(BASE.names().policy(), 80, 120, false))),
            null,
            List.of("PutScalingPolicy")),
        row(
            "scaling removed from the spec",
            a -> a.getSpec().scaling = null,
            converged(),
            null,
            List.of("DeleteScalingPolicy")),
        row(
            "group being deleted: wait",
            same,
            withGroup(
                g -> new G(2, 4, 2, g.subnets(), 1L, g.tgs(), g.tags(), "Delete in progress")),
            null,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      ObservedApp observed,
      Integer applied,
      List<String> expected) {
    Plan plan = Planner.plan(desired, observed, Memory.applied(applied));

    assertThat(plan.conflicts()).isEmpty();
    assertThat(plan.actions()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      String[] kindAndReason = expected.get(i).split(":", 2);
      var action = plan.actions().get(i);
      assertThat(action.getClass().getSimpleName()).isEqualTo(kindAndReason[0]);
      if (kindAndReason.length > 1) {
        assertThat(action.reason()).contains(kindAndReason[1]);
      }
    }
  }

  @Test
  void newGroupStartsAtMinWhenDesiredIsUnsetAndUsesTheNumberedVersion() {
    var observed =
        with(o -> o.toBuilder().launchTemplate(lt(3, "t3.micro")).group(null).policy(null).build());
    var create = (Action.CreateGroup) Planner.plan(BASE, observed, Memory.NONE).actions().get(0);

    assertThat(create.config().desired()).isEqualTo(2);
    assertThat(create.config().launchTemplateVersion()).isEqualTo(3);
    assertThat(create.config().targetGroupArns()).containsExactly(TG_ARN);
    assertThat(create.tags())
        .containsEntry(Tags.OWNER, "hr/directory")
        .containsEntry(Tags.MANAGED_BY, Tags.MANAGER)
        .containsEntry("team", "hr");
  }

  @Test
  void specDesiredIsRecordedAsAppliedOnCreate() {
    var d = desired(a -> a.getSpec().capacity = new Capacity(2, 6, 3));
    var observed = with(o -> o.toBuilder().group(null).policy(null).build());
    Plan plan = Planner.plan(d, observed, Memory.NONE);

    assertThat(((Action.CreateGroup) plan.actions().get(0)).config().desired()).isEqualTo(3);
    assertThat(plan.appliedDesired()).isEqualTo(3);
  }

  @Test
  void launchTemplateChangeNeverTouchesTheGroupAndGroupChangeNeverTheTemplate() {
    var typeChanged =
        Planner.plan(desired(a -> a.getSpec().instanceType = "t3.small"), converged(), Memory.NONE);
    assertThat(typeChanged.actions()).noneMatch(a -> a instanceof Action.UpdateGroup);

    var resized =
        Planner.plan(
            desired(a -> a.getSpec().capacity = new Capacity(1, 8, null)),
            converged(),
            Memory.NONE);
    assertThat(resized.actions()).singleElement().isInstanceOf(Action.UpdateGroup.class);
    GroupUpdate u = ((Action.UpdateGroup) resized.actions().get(0)).update();
    assertThat(u.launchTemplateVersion()).isNull();
    assertThat(List.of(u.min(), u.max())).containsExactly(1, 8);
  }

  @Test
  void foreignOwnerBlocksEveryAction() {
    var foreign = new HashMap<>(OURS);
    foreign.put(Tags.OWNER, "payroll/directory");
    var observed = withGroup(g -> new G(1, 1, 1, g.subnets(), 1L, g.tgs(), foreign, null));
    Plan plan =
        Planner.plan(desired(a -> a.getSpec().instanceType = "t3.large"), observed, Memory.NONE);

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.conflicts()).singleElement().asString().contains("owned by payroll/directory");
  }

  @Test
  void untaggedTemplateUnderOurNameIsAConflict() {
    var observed =
        with(
            o ->
                o.withLaunchTemplate(
                    new ObservedLaunchTemplate(
                        LT_ID,
                        BASE.names().launchTemplate(),
                        Map.of(),
                        1,
                        1,
                        o.launchTemplate().get().latestData())));
    assertThat(Planner.plan(BASE, observed, Memory.NONE).conflicts())
        .singleElement()
        .asString()
        .contains("not tagged scalableapp.io/owner");
  }

  @Test
  void targetGroupPortChangeIsBlockedNotAttempted() {
    Plan plan =
        Planner.plan(desired(a -> a.getSpec().targetGroup.port = 8080), converged(), Memory.NONE);
    assertThat(plan.blocked()).singleElement().asString().contains("cannot change in place");
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void deletionGoesPolicyAndGroupFirstThenTargetGroupAndTemplate() {
    var names = BASE.names();
    Plan first = Planner.planDeletion(BASE.ownerKey(), names, converged());
    assertThat(first.actions())
        .map(a -> a.getClass().getSimpleName())
        .containsExactly("DeleteScalingPolicy", "DeleteGroup");

    var groupGone = with(o -> o.toBuilder().subnets(List.of()).group(null).policy(null).build());
    assertThat(Planner.planDeletion(BASE.ownerKey(), names, groupGone).actions())
        .map(a -> a.getClass().getSimpleName())
        .containsExactly("DeleteTargetGroup", "DeleteLaunchTemplate");

    var deleting =
        withGroup(g -> new G(0, 0, 0, g.subnets(), 1L, g.tgs(), g.tags(), "Delete in progress"));
    Plan waiting = Planner.planDeletion(BASE.ownerKey(), names, deleting);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.waitingFor()).isNotEmpty();

    assertThat(Planner.planDeletion(BASE.ownerKey(), names, ObservedApp.nothing()).isEmpty())
        .isTrue();
  }

  @Test
  void deletionLeavesForeignResourcesAlone() {
    var foreign = Map.of(Tags.OWNER, "someone/else");
    var observed =
        with(
            o ->
                o.toBuilder()
                    .subnets(List.of())
                    .targetGroup(
                        new ObservedTargetGroup(TG_ARN, o.targetGroup().get().config(), foreign, 0))
                    .group(null)
                    .policy(null)
                    .build());
    Plan plan = Planner.planDeletion(BASE.ownerKey(), BASE.names(), observed);
    assertThat(plan.actions())
        .map(a -> a.getClass().getSimpleName())
        .containsExactly("DeleteLaunchTemplate");
  }

  // --- rollouts

  static ObservedRefresh refresh(String id, String status, long target) {
    return new ObservedRefresh(
        id,
        RefreshStatus.of(status),
        status.equals("Failed") ? "instances failed health checks" : null,
        40,
        2,
        target,
        java.time.Instant.parse("2026-01-01T00:00:00Z"),
        null);
  }

  /** AWS as converged on version 1, but the template's latest version is {@code version}. */
  static ObservedApp latest(long version, String type, ObservedRefresh... refreshes) {
    return converged().withLaunchTemplate(lt(version, type)).withRefreshes(List.of(refreshes));
  }

  /** The spec asks for version 2 (t3.small); the group and its instances run version 1. */
  static ObservedApp typeChangePending(List<ObservedRefresh> refreshes) {
    return latest(2, "t3.small", refreshes.toArray(ObservedRefresh[]::new));
  }

  /** The app's group with these bounds, on {@code version}, with these instances. */
  static ObservedGroup groupOn(
      long version, int min, int desired, List<ObservedInstance> instances) {
    return new ObservedGroup(
        BASE.names().autoScalingGroup(),
        "arn:asg",
        min,
        4,
        desired,
        SUBNETS,
        LT_ID,
        version,
        List.of(TG_ARN),
        HealthCheckType.ELB,
        OURS,
        instances,
        false);
  }

  static ObservedLaunchTemplate template(long latest, long defaultVersion, String type) {
    return new ObservedLaunchTemplate(
        LT_ID,
        BASE.names().launchTemplate(),
        OURS,
        latest,
        defaultVersion,
        lt(latest, type).latestData());
  }

  static final DesiredApp SMALL = desired(a -> a.getSpec().instanceType = "t3.small");
  static final DesiredApp MEDIUM = desired(a -> a.getSpec().instanceType = "t3.medium");

  static List<String> kinds(Plan plan) {
    return plan.actions().stream().map(a -> a.getClass().getSimpleName()).toList();
  }

  @Test
  void outdatedInstancesStartOneRefreshWithTheSpecsPreferences() {
    var d =
        desired(
            a -> {
              a.getSpec().instanceType = "t3.small";
              a.getSpec().rollout = new io.scalableapp.operator.api.RolloutSpec();
              a.getSpec().rollout.minHealthyPercentage = 75;
              a.getSpec().rollout.instanceWarmupSeconds = 60;
            });
    Plan plan = Planner.plan(d, typeChangePending(List.of()), Memory.NONE);

    var start = (Action.StartRefresh) plan.actions().get(0);
    assertThat(kinds(plan)).containsExactly("StartRefresh");
    assertThat(start.version()).isEqualTo(2);
    assertThat(start.templateId()).isEqualTo(LT_ID);
    assertThat(start.preferences())
        .isEqualTo(new io.scalableapp.operator.cloud.RefreshPreferences(75, 100, 60, true, true));
  }

  @Test
  void refreshTowardTheDesiredVersionIsLeftToRun() {
    Plan plan =
        Planner.plan(
            SMALL, typeChangePending(List.of(refresh("r1", "InProgress", 2))), Memory.NONE);
    assertThat(plan.actions()).isEmpty();
  }

  @Test
  void refreshTowardAnOlderVersionIsCancelledThenANewOneStarts() {
    var running = latest(3, "t3.medium", refresh("r1", "InProgress", 2));
    assertThat(kinds(Planner.plan(MEDIUM, running, Memory.NONE))).containsExactly("CancelRefresh");

    Plan waiting =
        Planner.plan(MEDIUM, latest(3, "t3.medium", refresh("r1", "Cancelling", 2)), Memory.NONE);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.waitingFor()).singleElement().asString().contains("Cancelling");

    Plan restart =
        Planner.plan(MEDIUM, latest(3, "t3.medium", refresh("r1", "Cancelled", 2)), Memory.NONE);
    assertThat(kinds(restart)).containsExactly("StartRefresh");
    assertThat(((Action.StartRefresh) restart.actions().get(0)).version()).isEqualTo(3);
  }

  @Test
  void failedOrRolledBackVersionIsRememberedAndNotRestarted() {
    for (String outcome : List.of("Failed", "RollbackSuccessful")) {
      Plan plan =
          Planner.plan(SMALL, typeChangePending(List.of(refresh("r1", outcome, 2))), Memory.NONE);
      assertThat(plan.actions()).as(outcome).isEmpty();
      assertThat(plan.memory().failedVersion()).as(outcome).isEqualTo(2L);
    }
    // Even when AWS no longer lists the refresh, the remembered failure holds.
    Plan later = Planner.plan(SMALL, typeChangePending(List.of()), new Memory(null, 2L, null));
    assertThat(later.actions()).isEmpty();

    // A spec change makes version 3: that one rolls out.
    var v3 = latest(3, "t3.medium", refresh("r1", "RollbackSuccessful", 2));
    assertThat(kinds(Planner.plan(MEDIUM, v3, new Memory(null, 2L, null))))
        .containsExactly("StartRefresh");
  }

  @Test
  void groupOnTheNewVersionWithOldInstancesStillRollsOut() {
    // An operator (or person) switched the group without a refresh: observed state decides.
    var observed = latest(2, "t3.small").withGroup(groupOn(2L, 2, 2, group(g -> g).instances()));
    assertThat(kinds(Planner.plan(SMALL, observed, Memory.NONE))).containsExactly("StartRefresh");
  }

  @Test
  void emptyGroupIsSwitchedWithoutARefresh() {
    var observed = latest(2, "t3.small").withGroup(groupOn(1L, 0, 0, List.of()));
    var d =
        desired(
            a -> {
              a.getSpec().instanceType = "t3.small";
              a.getSpec().capacity = new Capacity(0, 4, null);
            });
    Plan plan = Planner.plan(d, observed, Memory.NONE);
    assertThat(kinds(plan)).containsExactly("UpdateGroup");
    assertThat(((Action.UpdateGroup) plan.actions().get(0)).update().launchTemplateVersion())
        .isEqualTo(2L);
  }

  @Test
  void convergedVersionBecomesTheDefaultAndOldVersionsArePruned() {
    var onV25 = group(g -> new G(2, 4, 2, g.subnets(), 25L, g.tgs(), g.tags(), null));
    var observed = converged().withLaunchTemplate(template(25, 1, "t3.micro")).withGroup(onV25);
    Plan plan = Planner.plan(BASE, observed, Memory.NONE);

    assertThat(kinds(plan)).containsExactly("SetDefaultVersion", "DeleteLaunchTemplateVersions");
    var prune = (Action.DeleteLaunchTemplateVersions) plan.actions().get(1);
    assertThat(prune.versions()).doesNotContain(1L, 25L).contains(2L, 15L).doesNotContain(16L);
    assertThat(plan.memory().prunedThrough()).isEqualTo(15L);

    // Already pruned through 15 and version 25 is the default: nothing to do.
    var settled = converged().withLaunchTemplate(template(25, 25, "t3.micro")).withGroup(onV25);
    assertThat(Planner.plan(BASE, settled, new Memory(null, null, 15L)).actions()).isEmpty();
  }

  @Test
  void instancesOnTheirWayOutDoNotStartARollout() {
    var onV2 =
        List.of(
            new ObservedInstance(
                "i-new1", "us-east-1a", LifecycleState.InService, true, "t3.small", 2L),
            new ObservedInstance(
                "i-new2", "us-east-1b", LifecycleState.InService, true, "t3.small", 2L),
            new ObservedInstance(
                "i-old", "us-east-1b", LifecycleState.Terminating, true, "t3.micro", 1L));
    var observed =
        converged()
            .withLaunchTemplate(template(2, 2, "t3.small"))
            .withGroup(groupOn(2L, 2, 2, onV2))
            .withRefreshes(List.of(refresh("r1", "Successful", 2)));
    assertThat(Planner.plan(SMALL, observed, Memory.NONE).actions()).isEmpty();
  }

  // --- load balancer

  static final List<String> PUBLIC = List.of("subnet-000000pa", "subnet-000000pb");
  static final String LB_ARN =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1";

  static final DesiredApp WITH_LB =
      desired(
          a -> {
            a.getSpec().loadBalancer = new io.scalableapp.operator.api.LoadBalancerSpec();
            a.getSpec().loadBalancer.subnetIds = PUBLIC;
            a.getSpec().loadBalancer.securityGroupIds = List.of("sg-0000000c");
          });

  static ObservedApp withLb(
      String scheme,
      List<String> subnets,
      List<ObservedLoadBalancer.Listener> listeners,
      Map<String, String> tags) {
    return converged()
        .withLoadBalancer(
            new ObservedLoadBalancer(
                LB_ARN,
                "x.elb.amazonaws.com",
                new LoadBalancerConfig(
                    BASE.names().loadBalancer(), scheme, subnets, List.of("sg-0000000c")),
                tags,
                "active",
                listeners));
  }

  static ObservedLoadBalancer.Listener listener(int port, String tg) {
    return new ObservedLoadBalancer.Listener("arn:listener/" + port, port, "HTTP", tg);
  }

  @Test
  void loadBalancerIsCreatedThenItsListenerForwardsToTheTargetGroup() {
    Plan first = Planner.plan(WITH_LB, converged(), Memory.NONE);
    assertThat(kinds(first)).containsExactly("CreateLoadBalancer");
    var create = (Action.CreateLoadBalancer) first.actions().get(0);
    assertThat(create.config())
        .isEqualTo(
            new LoadBalancerConfig(
                BASE.names().loadBalancer(), "internet-facing", PUBLIC, List.of("sg-0000000c")));
    assertThat(create.config().name()).hasSizeLessThanOrEqualTo(32);
    assertThat(create.tags()).containsEntry(Tags.OWNER, "hr/directory");

    Plan second =
        Planner.plan(WITH_LB, withLb("internet-facing", PUBLIC, List.of(), OURS), Memory.NONE);
    assertThat(kinds(second)).containsExactly("CreateListener");
    var listen = (Action.CreateListener) second.actions().get(0);
    assertThat(List.of(listen.port(), listen.targetGroupArn())).containsExactly(80, TG_ARN);

    assertThat(
            Planner.plan(
                    WITH_LB,
                    withLb("internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), OURS),
                    Memory.NONE)
                .actions())
        .isEmpty();
  }

  @Test
  void loadBalancerDriftIsCorrected() {
    var drifted =
        withLb(
            "internet-facing",
            List.of(PUBLIC.get(0), "subnet-000000pc"),
            List.of(listener(80, "arn:other"), listener(8080, TG_ARN)),
            OURS);
    assertThat(kinds(Planner.plan(WITH_LB, drifted, Memory.NONE)))
        .containsExactly("SetLoadBalancerSubnets", "SetListenerTarget", "DeleteListener");
  }

  @Test
  void schemeChangeIsBlockedAndForeignLoadBalancerIsAConflict() {
    var internal = withLb("internal", PUBLIC, List.of(listener(80, TG_ARN)), OURS);
    assertThat(Planner.plan(WITH_LB, internal, Memory.NONE).blocked())
        .singleElement()
        .asString()
        .contains("scheme cannot change in place");

    var foreign = withLb("internet-facing", PUBLIC, List.of(), Map.of(Tags.OWNER, "other/app"));
    Plan plan = Planner.plan(WITH_LB, foreign, Memory.NONE);
    assertThat(plan.actions()).isEmpty();
    assertThat(plan.conflicts())
        .singleElement()
        .asString()
        .contains("load balancer")
        .contains("other/app");
  }

  @Test
  void removingTheLoadBalancerFromTheSpecDeletesListenerThenLoadBalancer() {
    var observed = withLb("internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), OURS);
    assertThat(kinds(Planner.plan(BASE, observed, Memory.NONE)))
        .containsExactly("DeleteListener", "DeleteLoadBalancer");
  }

  @Test
  void deletionRemovesTheLoadBalancerBeforeTheTargetGroup() {
    var observed = withLb("internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), OURS);
    var groupGone = observed.toBuilder().subnets(List.of()).group(null).policy(null).build();
    assertThat(kinds(Planner.planDeletion(BASE.ownerKey(), BASE.names(), groupGone)))
        .containsExactly(
            "DeleteListener", "DeleteLoadBalancer", "DeleteTargetGroup", "DeleteLaunchTemplate");
  }

  @Test
  void rootVolumeChangeMakesANewVersion() {
    var d =
        desired(
            a -> a.getSpec().rootVolume = new io.scalableapp.operator.api.RootVolume(40, "gp3"));
    Plan plan = Planner.plan(d, converged(), Memory.NONE);
    assertThat(kinds(plan)).containsExactly("CreateLaunchTemplateVersion");
    assertThat(plan.actions().get(0).reason())
        .contains("rootVolume null -> Volume[deviceName=/dev/xvda, sizeGiB=40");
  }
}
