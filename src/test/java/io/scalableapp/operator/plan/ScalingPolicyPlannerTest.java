package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.readyConverged;
import static io.scalableapp.operator.plan.PlanFixtures.readyWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (spec, observed policy) -> actions. */
class ScalingPolicyPlannerTest {
  static final ScalingPolicyPlanner PLANNER = new ScalingPolicyPlanner();
  static final String NAME = BASE.names().policy();

  static Stream<Arguments> cases() {
    var noScaling = desired(a -> a.getSpec().scaling = null);
    var unsetWarmup = desired(a -> a.getSpec().scaling.estimatedWarmupSeconds = null);
    return Stream.of(
        Arguments.of("missing: put", BASE, null, List.of("PutScalingPolicy:does not exist")),
        Arguments.of(
            "matches: nothing", BASE, new ScalingPolicyConfig(NAME, 50, 120, false), List.of()),
        Arguments.of(
            "target drifted: put back",
            BASE,
            new ScalingPolicyConfig(NAME, 80, 120, false),
            List.of("PutScalingPolicy:scaling policy")),
        Arguments.of(
            "scale-in disabled in AWS: put back",
            BASE,
            new ScalingPolicyConfig(NAME, 50, 120, true),
            List.of("PutScalingPolicy")),
        Arguments.of(
            "unset warmup: AWS's default counts as equal",
            unsetWarmup,
            new ScalingPolicyConfig(NAME, 50, 300, false),
            List.of()),
        Arguments.of(
            "scaling removed from the spec: deleted",
            noScaling,
            new ScalingPolicyConfig(NAME, 50, 120, false),
            List.of("DeleteScalingPolicy:spec.scaling removed")),
        Arguments.of("no scaling, no policy", noScaling, null, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(String name, DesiredApp desired, ScalingPolicyConfig observed, List<String> expected) {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired,
            converged().toBuilder().policy(observed).build(),
            Memory.NONE,
            readyConverged());

    run.assertActions(expected);
  }

  @Test
  void putsTheSpecsTargetOnTheAppsGroup() {
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged().toBuilder().policy(null).build(),
            Memory.NONE,
            readyConverged());
    var put = (ScalingPolicyPlanner.PutScalingPolicy) run.context().actions().get(0);
    assertThat(put.groupName()).isEqualTo(BASE.names().autoScalingGroup());
    assertThat(put.policy()).isEqualTo(new ScalingPolicyConfig(NAME, 50, 120, false));
  }

  @Test
  void nothingUntilTheGroupIsReady() {
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged().toBuilder().policy(null).build(),
            Memory.NONE,
            readyWith(GroupPlanner.class, Optional.empty()));
    assertThat(run.all()).isEmpty();
  }

  @Test
  void deletionRemovesThePolicyOfALiveGroupOnly() {
    assertThat(PlanFixtures.kinds(PlanFixtures.delete(PLANNER, converged(), true).removals()))
        .containsExactly("DeleteScalingPolicy");
    var g = converged().group().orElseThrow();
    ObservedApp deleting =
        converged()
            .withGroup(
                PlanFixtures.copy(
                    g, g.subnetIds(), g.targetGroupArns(), HealthCheckType.ELB, g.tags(), true));
    assertThat(PlanFixtures.delete(PLANNER, deleting, true).removals()).isEmpty();
  }
}
