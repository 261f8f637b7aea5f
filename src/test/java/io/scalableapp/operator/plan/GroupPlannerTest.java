package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.FOREIGN;
import static io.scalableapp.operator.plan.PlanFixtures.LT_ID;
import static io.scalableapp.operator.plan.PlanFixtures.OURS;
import static io.scalableapp.operator.plan.PlanFixtures.SUBNETS;
import static io.scalableapp.operator.plan.PlanFixtures.TG_ARN;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.copy;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.group;
import static io.scalableapp.operator.plan.PlanFixtures.readyConverged;
import static io.scalableapp.operator.plan.PlanFixtures.readyWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (spec change, observed group, desired capacity last applied) -> actions. */
class GroupPlannerTest {
  static final GroupPlanner PLANNER = new GroupPlanner();
  static final ObservedGroup CONVERGED = group(2, 4, 2, 1);

  static Arguments row(
      String name,
      Consumer<ScalableApp> spec,
      ObservedGroup observed,
      Integer applied,
      List<String> actions) {
    return Arguments.of(name, desired(spec), observed, applied, actions);
  }

  static Stream<Arguments> cases() {
    Consumer<ScalableApp> same = a -> {};
    return Stream.of(
        row("no group: create it", same, null, null, List.of("CreateGroup")),
        row("everything matches: nothing to do", same, CONVERGED, null, List.of()),
        row(
            "min and max drifted in AWS",
            same,
            group(1, 9, 2, 1),
            null,
            List.of("UpdateGroup:min 1 -> 2; max 9 -> 4")),
        row(
            "subnets drifted in AWS",
            same,
            copy(
                CONVERGED,
                List.of(SUBNETS.get(0)),
                List.of(TG_ARN),
                HealthCheckType.ELB,
                OURS,
                false),
            null,
            List.of("UpdateGroup:subnets")),
        row(
            "the group scaled itself: desired is not fought",
            a -> a.getSpec().capacity = new Capacity(2, 4, 2),
            group(2, 4, 4, 1),
            2,
            List.of()),
        row(
            "the spec's desired changed: applied",
            a -> a.getSpec().capacity = new Capacity(2, 4, 3),
            CONVERGED,
            2,
            List.of("UpdateGroup:desired 2 -> 3 (spec changed)")),
        row(
            "min raised above current desired: kept within bounds",
            a -> a.getSpec().capacity = new Capacity(3, 4, null),
            CONVERGED,
            null,
            List.of("UpdateGroup:min 2 -> 3; desired 2 -> 3 (kept within min and max)")),
        row(
            "EC2 health checks in AWS while the group has a target group",
            same,
            copy(CONVERGED, SUBNETS, List.of(TG_ARN), HealthCheckType.EC2, OURS, false),
            null,
            List.of("UpdateGroup:health check type EC2 -> ELB")),
        row(
            "target group detached in AWS",
            same,
            copy(CONVERGED, SUBNETS, List.of(), HealthCheckType.ELB, OURS, false),
            null,
            List.of("AttachTargetGroups")),
        row(
            "a foreign target group attached in AWS",
            same,
            copy(
                CONVERGED, SUBNETS, List.of(TG_ARN, "arn:other"), HealthCheckType.ELB, OURS, false),
            null,
            List.of("DetachTargetGroups")),
        row(
            "spec tags changed: retagged, propagated to new instances",
            a -> a.getSpec().tags = Map.of("team", "ops", "cost", "42"),
            CONVERGED,
            null,
            List.of("RetagGroup:tags +cost=42, team=ops")),
        row(
            "a tag added by hand: removed",
            same,
            copy(
                CONVERGED, SUBNETS, List.of(TG_ARN), HealthCheckType.ELB, withTag("x", "y"), false),
            null,
            List.of("RetagGroup:-x")),
        row(
            "AWS's own tags are left alone",
            same,
            copy(
                CONVERGED,
                SUBNETS,
                List.of(TG_ARN),
                HealthCheckType.ELB,
                withTag("aws:cloudformation:stack-name", "s"),
                false),
            null,
            List.of()),
        row(
            "group being deleted: wait",
            same,
            copy(CONVERGED, SUBNETS, List.of(TG_ARN), HealthCheckType.ELB, OURS, true),
            null,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      ObservedGroup observed,
      Integer applied,
      List<String> expected) {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired,
            converged().toBuilder().group(observed).build(),
            Memory.applied(applied),
            readyConverged());

    assertThat(run.context().conflicts()).isEmpty();
    run.assertActions(expected);
  }

  static Map<String, String> withTag(String key, String value) {
    var tags = new HashMap<>(OURS);
    tags.put(key, value);
    return tags;
  }

  @Test
  void aTagThatDoesNotPropagateToInstancesIsSetAgain() {
    var g = CONVERGED;
    var unpropagated =
        new ObservedGroup(
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
            Set.of("team"));
    var run =
        PlanFixtures.run(
            PLANNER, BASE, converged().withGroup(unpropagated), Memory.NONE, readyConverged());
    var retag = (GroupPlanner.RetagGroup) run.context().actions().get(0);
    assertThat(retag.change().set()).containsExactly(Map.entry("team", "hr"));
    assertThat(retag.change().remove()).isEmpty();
  }

  @Test
  void newGroupStartsAtMinWhenDesiredIsUnsetOnTheNumberedVersionWithElbChecks() {
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged().toBuilder().group(null).build(),
            Memory.NONE,
            readyWith(
                LaunchTemplatePlanner.class,
                Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 3))));
    var create = (GroupPlanner.CreateGroup) run.context().actions().get(0);

    assertThat(create.config().desired()).isEqualTo(2);
    assertThat(create.config().launchTemplateVersion()).isEqualTo(3);
    assertThat(create.config().targetGroupArns()).containsExactly(TG_ARN);
    assertThat(create.config().healthCheckType()).isEqualTo(HealthCheckType.ELB);
    assertThat(create.tags())
        .containsEntry(Tags.OWNER, "hr/directory")
        .containsEntry(Tags.MANAGED_BY, Tags.MANAGER)
        .containsEntry("team", "hr");
    assertThat(run.result()).isEmpty();
  }

  @Test
  void withoutATargetGroupTheGroupUsesEc2HealthChecks() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().targetGroup = null),
            converged().toBuilder().group(null).build(),
            Memory.NONE,
            readyWith(TargetGroupPlanner.class, Optional.of(TargetGroupPlanner.Serving.NONE)));
    var create = (GroupPlanner.CreateGroup) run.context().actions().get(0);
    assertThat(create.config().healthCheckType()).isEqualTo(HealthCheckType.EC2);
    assertThat(create.config().targetGroupArns()).isEmpty();
  }

  @Test
  void theGroupWaitsForItsLaunchTemplateAndTargetGroup() {
    var none = converged().toBuilder().group(null).build();
    for (var dependency : List.of(LaunchTemplatePlanner.class, TargetGroupPlanner.class)) {
      var run =
          PlanFixtures.run(
              PLANNER, BASE, none, Memory.NONE, readyWith(dependency, Optional.empty()));
      assertThat(run.all()).as(dependency.getSimpleName()).isEmpty();
    }
  }

  @Test
  void specDesiredIsRememberedAsAppliedOnCreate() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().capacity = new Capacity(2, 6, 3)),
            converged().toBuilder().group(null).build(),
            Memory.NONE,
            readyConverged());
    assertThat(((GroupPlanner.CreateGroup) run.context().actions().get(0)).config().desired())
        .isEqualTo(3);
    assertThat(run.context().memory().appliedDesired()).isEqualTo(3);
  }

  @Test
  void aResizeTouchesBoundsOnlyNeverTheLaunchTemplateVersion() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().capacity = new Capacity(1, 8, null)),
            converged(),
            Memory.NONE,
            readyConverged());
    GroupUpdate u = ((GroupPlanner.UpdateGroup) run.context().actions().get(0)).update();
    assertThat(u.launchTemplateVersion()).isNull();
    assertThat(List.of(u.min(), u.max())).containsExactly(1, 8);
    assertThat(run.result()).isEqualTo(Optional.of(CONVERGED));
  }

  @Test
  void aForeignGroupIsAConflictAndIsNeverDeleted() {
    var foreign =
        converged()
            .withGroup(
                copy(CONVERGED, SUBNETS, List.of(TG_ARN), HealthCheckType.ELB, FOREIGN, false));
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().capacity = new Capacity(1, 1, 1)),
            foreign,
            Memory.NONE,
            readyConverged());
    assertThat(run.all()).isEmpty();
    assertThat(run.context().conflicts())
        .singleElement()
        .asString()
        .contains("owned by payroll/directory");
    assertThat(PlanFixtures.delete(PLANNER, foreign, true).removals()).isEmpty();
  }

  @Test
  void deletionDeletesTheGroupThenWaitsUntilAwsIsDone() {
    var deleting = PlanFixtures.delete(PLANNER, converged(), false);
    assertThat(PlanFixtures.kinds(deleting.removals())).containsExactly("DeleteGroup");

    var going =
        converged()
            .withGroup(copy(CONVERGED, SUBNETS, List.of(TG_ARN), HealthCheckType.ELB, OURS, true));
    var waiting = PlanFixtures.delete(PLANNER, going, false);
    assertThat(waiting.removals()).isEmpty();
    assertThat(waiting.waitingFor()).singleElement().asString().contains("being deleted");

    assertThat(
            PlanFixtures.delete(PLANNER, converged().toBuilder().group(null).build(), true)
                .removals())
        .isEmpty();
  }

  @Test
  void theSpecsDesiredIsForgottenWhenTheSpecDropsIt() {
    var run = PlanFixtures.run(PLANNER, BASE, converged(), Memory.applied(3), readyConverged());
    assertThat(run.context().memory()).isEqualTo(Memory.NONE);
  }
}
