package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.LT_ID;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.group;
import static io.scalableapp.operator.plan.PlanFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (template versions, version rolled out, pruned so far) -> actions and memory. */
class VersionPruningPlannerTest {
  static final VersionPruningPlanner PLANNER = new VersionPruningPlanner();

  static PlanFixtures.Run run(ObservedLaunchTemplate t, Long rolledOut, Long prunedThrough) {
    return PlanFixtures.run(
        PLANNER,
        BASE,
        converged()
            .withLaunchTemplate(t)
            .withGroup(group(2, 4, 2, rolledOut == null ? 1 : rolledOut)),
        Memory.NONE.withPrunedThrough(prunedThrough),
        Map.of(
            RolloutPlanner.class,
            Optional.ofNullable(rolledOut).map(v -> new LaunchTemplatePlanner.Version(LT_ID, v))));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "rollout not done: nothing",
            run(template(25, 1, "t3.micro"), null, null),
            List.of(),
            null),
        Arguments.of(
            "few versions, the default in use: nothing",
            run(template(3, 3, "t3.micro"), 3L, null),
            List.of(),
            null),
        Arguments.of(
            "the version in use becomes the default",
            run(template(3, 1, "t3.micro"), 3L, null),
            List.of("SetDefaultVersion"),
            null),
        Arguments.of(
            "25 versions: all but the latest 10 and those in use go",
            run(template(25, 25, "t3.micro"), 25L, null),
            List.of("DeleteLaunchTemplateVersions"),
            15L),
        Arguments.of(
            "already pruned through 15: nothing",
            run(template(25, 25, "t3.micro"), 25L, 15L),
            List.of(),
            15L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(String name, PlanFixtures.Run run, List<String> expected, Long prunedThrough) {
    assertThat(run.kinds()).containsExactlyElementsOf(expected);
    assertThat(run.context().memory().prunedThrough()).isEqualTo(prunedThrough);
  }

  @Test
  void pruningKeepsTheDefaultAndEveryVersionAnInstanceRuns() {
    var instances =
        List.of(
            PlanFixtures.instance("i-1", LifecycleState.InService, 25),
            PlanFixtures.instance("i-2", LifecycleState.InService, 7));
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged()
                .withLaunchTemplate(template(25, 1, "t3.micro"))
                .withGroup(group(2, 4, 2, 25, instances)),
            Memory.NONE,
            Map.of(
                RolloutPlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 25))));

    assertThat(run.kinds()).containsExactly("SetDefaultVersion", "DeleteLaunchTemplateVersions");
    var prune = (VersionPruningPlanner.DeleteLaunchTemplateVersions) run.context().actions().get(1);
    assertThat(prune.versions()).doesNotContain(1L, 7L, 25L).contains(2L, 15L).doesNotContain(16L);
    assertThat(run.context().memory().prunedThrough()).isEqualTo(15L);
  }

  @Test
  void atMostTwoHundredVersionsGoPerPlan() {
    var run = run(template(1000, 1000, "t3.micro"), 1000L, null);
    var prune = (VersionPruningPlanner.DeleteLaunchTemplateVersions) run.context().actions().get(0);
    assertThat(prune.versions())
        .hasSize(VersionPruningPlanner.MAX_PRUNE)
        .contains(990L - 199, 990L);
    assertThat(run.context().memory().prunedThrough()).isEqualTo(990L);
  }
}
