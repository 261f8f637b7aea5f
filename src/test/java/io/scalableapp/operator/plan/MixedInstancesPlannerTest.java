package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.LT_ID;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.group;
import static io.scalableapp.operator.plan.PlanFixtures.refresh;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.InstancesSpec;
import io.scalableapp.operator.api.InstancesSpec.InstanceTypeSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * spec.instances through the group and rollout planners: the group is created with the mixed
 * instances policy; a change that decides which instances run rolls out through an instance refresh
 * carrying the policy, and one that only affects future launches updates the group and says so.
 */
class MixedInstancesPlannerTest {
  /** t3.micro and t3a.micro, one On-Demand then a quarter On-Demand, the rest Spot. */
  static Consumer<ScalableApp> mix(String... types) {
    return a -> {
      a.getSpec().instanceType = null;
      a.getSpec().instances = new InstancesSpec();
      a.getSpec().instances.types =
          Arrays.stream(types).map(t -> new InstanceTypeSpec(t, null)).toList();
      a.getSpec().instances.onDemandBaseCapacity = 1;
      a.getSpec().instances.onDemandPercentageAboveBase = 25;
    };
  }

  static final Consumer<ScalableApp> MIX = mix("t3.micro", "t3a.micro");

  /** The group as AWS reports it: {@link PlanFixtures#group} with a policy and rebalancing. */
  static ObservedGroup withPolicy(ObservedGroup g, InstancesPolicy p, boolean rebalance) {
    return new ObservedGroup(
        g.name(),
        g.arn(),
        g.min(),
        g.max(),
        g.desired(),
        g.subnetIds(),
        g.launchTemplateId(),
        g.launchTemplateVersion(),
        g.targetGroupArns(),
        g.healthCheckType(),
        g.tags(),
        g.instances(),
        false,
        g.unpropagatedTags(),
        p,
        rebalance,
        null);
  }

  static PlanFixtures.Run rollout(
      DesiredApp d, ObservedGroup g, Memory memory, ObservedRefresh... refreshes) {
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(g));
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 1)));
    return PlanFixtures.run(
        new RolloutPlanner(),
        d,
        converged().withGroup(g).withRefreshes(List.of(refreshes)),
        memory,
        ready);
  }

  @Test
  void theGroupIsCreatedWithThePolicyAndCapacityRebalancing() {
    var d =
        desired(
            MIX.andThen(
                a -> {
                  a.getSpec().instances.types =
                      List.of(
                          new InstanceTypeSpec("t3.micro", 1), new InstanceTypeSpec("t3.small", 2));
                  a.getSpec().instances.capacityRebalance = true;
                }));
    var ready = PlanFixtures.readyConverged();
    var run =
        PlanFixtures.run(new GroupPlanner(), d, converged().withGroup(null), Memory.NONE, ready);
    var create = (GroupPlanner.CreateGroup) run.context().actions().get(0);
    InstancesPolicy p = create.config().instances();
    assertThat(p.types())
        .containsExactly(
            new InstancesPolicy.TypeOverride("t3.micro", 1),
            new InstancesPolicy.TypeOverride("t3.small", 2));
    assertThat(p.onDemandBase()).isEqualTo(1);
    assertThat(p.onDemandPercentAboveBase()).isEqualTo(25);
    assertThat(p.spotAllocationStrategy()).isEqualTo("price-capacity-optimized");
    assertThat(create.config().capacityRebalance()).isTrue();
    // The launch template holds the first type, so its data stays that of one type.
    assertThat(LaunchTemplatePlanner.desired(d.spec()).instanceType()).isEqualTo("t3.micro");
  }

  @Test
  void instanceTypeAloneCreatesTheGroupOnTheTemplateAlone() {
    var run =
        PlanFixtures.run(
            new GroupPlanner(),
            PlanFixtures.BASE,
            converged().withGroup(null),
            Memory.NONE,
            PlanFixtures.readyConverged());
    var create = (GroupPlanner.CreateGroup) run.context().actions().get(0);
    assertThat(create.config().instances()).isNull();
    assertThat(create.config().capacityRebalance()).isFalse();
  }

  @Test
  void aMixThatKeepsTheRunningTypeOnDemandSwitchesTheGroupWithoutReplacing() {
    // The running instances are t3.micro On-Demand: a mix that lists it, all On-Demand.
    var d =
        desired(
            mix("t3.micro", "t3a.micro")
                .andThen(
                    a -> {
                      a.getSpec().instances.onDemandBaseCapacity = null;
                      a.getSpec().instances.onDemandPercentageAboveBase = null;
                    }));
    var run = rollout(d, group(2, 4, 2, 1), Memory.NONE);
    run.assertActions(List.of("UpdateGroup:none is replaced"));
    var update = (GroupPlanner.UpdateGroup) run.context().actions().get(0);
    assertThat(update.update().instances().typeNames()).containsExactly("t3.micro", "t3a.micro");
    assertThat(update.update().launchTemplateVersion()).isEqualTo(1L);
    assertThat(update.reason()).contains("mixed instances policy added");
    assertThat(run.result()).isEmpty();
  }

  @Test
  void aMixWithoutTheRunningTypeRollsOutThroughARefreshCarryingIt() {
    var d = desired(mix("m6i.large", "m5.large"));
    var run = rollout(d, group(2, 4, 2, 1), Memory.NONE);
    run.assertActions(List.of("StartRefresh:2 instance(s) to replace"));
    var start = (RolloutPlanner.StartRefresh) run.context().actions().get(0);
    assertThat(start.instances().typeNames()).containsExactly("m6i.large", "m5.large");
    assertThat(start.version()).isEqualTo(1);
    assertThat(start.reason()).contains("instance types (the launch template's) -> m5.large");
  }

  @Test
  void aNewOnDemandSpotSplitReplacesEveryInstance() {
    var d = desired(MIX);
    InstancesPolicy allOnDemand =
        new InstancesPolicy(
            List.of(
                new InstancesPolicy.TypeOverride("t3.micro", null),
                new InstancesPolicy.TypeOverride("t3a.micro", null)),
            null,
            0,
            100,
            "price-capacity-optimized");
    var run = rollout(d, withPolicy(group(2, 4, 2, 1), allOnDemand, false), Memory.NONE);
    run.assertActions(List.of("StartRefresh:every instance replaced"));
    var start = (RolloutPlanner.StartRefresh) run.context().actions().get(0);
    // Skip matching compares types and templates, not how instances were bought.
    assertThat(start.preferences().skipMatching()).isFalse();
    assertThat(start.instances().onDemandPercentAboveBase()).isEqualTo(25);
    assertThat(start.reason())
        .contains("On-Demand/Spot split 0 + 100% On-Demand -> 1 + 25% On-Demand");
  }

  @Test
  void aSpotStrategyChangeOnlyAffectsFutureLaunchesAndSaysSo() {
    var d =
        desired(MIX.andThen(a -> a.getSpec().instances.spotAllocationStrategy = "lowest-price"));
    InstancesPolicy current = Instances.desired(desired(MIX).spec());
    var run = rollout(d, withPolicy(group(2, 4, 2, 1), current, false), Memory.NONE);
    run.assertActions(
        List.of(
            "UpdateGroup:Spot allocation strategy price-capacity-optimized -> lowest-price"
                + " (affects instances launched from now on"));
    assertThat(((GroupPlanner.UpdateGroup) run.context().actions().get(0)).reason())
        .contains("none is replaced");
  }

  @Test
  void theGroupOnThePolicyIsRolledOut() {
    var d = desired(MIX);
    var g = withPolicy(group(2, 4, 2, 1), Instances.desired(d.spec()), false);
    var run = rollout(d, g, Memory.NONE);
    assertThat(run.all()).isEmpty();
    assertThat(run.result()).isPresent();
  }

  @Test
  void aFailedPolicyIsRememberedAndNotRetriedUntilTheSpecChanges() {
    var d = desired(mix("m6i.large", "m5.large"));
    InstancesPolicy wanted = Instances.desired(d.spec());
    var failed =
        new ObservedRefresh(
            "r1",
            RefreshStatus.RollbackSuccessful,
            "instances failed health checks",
            40,
            0,
            1L,
            java.time.Instant.parse("2026-01-01T00:00:00Z"),
            null,
            wanted);
    var run = rollout(d, group(2, 4, 2, 1), Memory.NONE, failed);
    assertThat(run.all()).isEmpty();
    assertThat(run.context().memory().failedVersion()).isEqualTo(1L);
    assertThat(run.context().memory().failedInstances()).isEqualTo(InstancesPolicy.key(wanted));

    // The same spec again: nothing.
    assertThat(rollout(d, group(2, 4, 2, 1), run.context().memory(), failed).all()).isEmpty();

    // Another mix: it rolls out.
    var other = desired(mix("m6i.large", "c6i.large"));
    assertThat(rollout(other, group(2, 4, 2, 1), run.context().memory(), failed).kinds())
        .containsExactly("StartRefresh");

    // A failure toward the template alone, same version, is not this policy's failure.
    var templateOnly = refresh("r0", RefreshStatus.Failed, 1);
    assertThat(rollout(d, group(2, 4, 2, 1), Memory.NONE, templateOnly).kinds())
        .containsExactly("StartRefresh");
  }

  @Test
  void onceThePolicyIsInPlaceTheFailureIsForgotten() {
    var d = desired(MIX);
    var g = withPolicy(group(2, 4, 2, 1), Instances.desired(d.spec()), false);
    var run = rollout(d, g, Memory.NONE.withFailed(1L, "t3.micro;od=0+0%"));
    assertThat(run.result()).isPresent();
    assertThat(run.context().memory().failedVersion()).isNull();
    assertThat(run.context().memory().failedInstances()).isNull();
  }

  @Test
  void anActiveRefreshTowardAnotherPolicyIsCancelled() {
    var d = desired(mix("m6i.large", "m5.large"));
    var other = Instances.desired(desired(mix("c6i.large")).spec());
    var active =
        new ObservedRefresh(
            "r1",
            RefreshStatus.InProgress,
            null,
            10,
            2,
            1L,
            java.time.Instant.parse("2026-01-01T00:00:00Z"),
            null,
            other);
    rollout(d, group(2, 4, 2, 1), Memory.NONE, active)
        .assertActions(List.of("CancelRefresh:c6i.large;od=1+25%"));
  }

  @Test
  void aRunningInstanceOfAnotherTypeThanTheTemplateIsReplacedWhenTheMixGoes() {
    // Mixed before; the spec goes back to instanceType t3.micro alone.
    InstancesPolicy before = Instances.desired(desired(mix("t3.micro", "t3a.micro")).spec());
    var g =
        withPolicy(
            group(
                2,
                4,
                2,
                1,
                List.of(
                    new ObservedInstance(
                        "i-1", "us-east-1a", LifecycleState.InService, true, "t3.micro", 1L),
                    new ObservedInstance(
                        "i-2", "us-east-1b", LifecycleState.InService, true, "t3a.micro", 1L))),
            before,
            false);
    var run = rollout(PlanFixtures.BASE, g, Memory.NONE);
    run.assertActions(List.of("StartRefresh:1 instance(s) to replace"));
    assertThat(((RolloutPlanner.StartRefresh) run.context().actions().get(0)).instances()).isNull();
  }

  @Test
  void capacityRebalancingIsKeptOnTheGroup() {
    var d = desired(MIX.andThen(a -> a.getSpec().instances.capacityRebalance = true));
    var g = withPolicy(group(2, 4, 2, 1), Instances.desired(d.spec()), false);
    var run =
        PlanFixtures.run(
            new GroupPlanner(),
            d,
            converged().withGroup(g),
            Memory.NONE,
            PlanFixtures.readyConverged());
    run.assertActions(List.of("UpdateGroup:capacity rebalance on"));
    var update = (GroupPlanner.UpdateGroup) run.context().actions().get(0);
    assertThat(update.update().capacityRebalance()).isTrue();
    assertThat(update.update().launchTemplateVersion()).isNull();
  }

  @Test
  void reorderingTheTypesMakesANewTemplateVersionButReplacesNothing() {
    // t3a.micro first now: the template holds it (version 2), the instances run t3.micro from
    // version 1, which the list still holds.
    var d = desired(mix("t3a.micro", "t3.micro"));
    var v1 = PlanFixtures.template(1, 1, "t3.micro").latestData();
    var lt = PlanFixtures.template(2, 1, "t3a.micro").withOlderVersions(java.util.Map.of(1L, v1));
    InstancesPolicy before = Instances.desired(desired(mix("t3.micro", "t3a.micro")).spec());
    var g = withPolicy(group(2, 4, 2, 1), before, false);
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(g));
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 2)));
    var run =
        PlanFixtures.run(
            new RolloutPlanner(),
            d,
            converged().withLaunchTemplate(lt).withGroup(g),
            Memory.NONE,
            ready);
    run.assertActions(List.of("UpdateGroup:instance type order or weights changed"));
    assertThat(((GroupPlanner.UpdateGroup) run.context().actions().get(0)).reason())
        .contains("none is replaced");
  }
}
