package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.FOREIGN;
import static io.scalableapp.operator.plan.PlanFixtures.OURS;
import static io.scalableapp.operator.plan.PlanFixtures.PUBLIC;
import static io.scalableapp.operator.plan.PlanFixtures.TG_ARN;
import static io.scalableapp.operator.plan.PlanFixtures.WITH_LB;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.kinds;
import static io.scalableapp.operator.plan.PlanFixtures.listener;
import static io.scalableapp.operator.plan.PlanFixtures.loadBalancer;
import static io.scalableapp.operator.plan.PlanFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The composition: partial planners ordered by their dependencies only, changes in that order and
 * removals in reverse, a conflict anywhere stopping everything, deletion in reverse dependency
 * order. Each capability's own decisions are tested in its table.
 */
class PlannerTest {
  @Test
  void everyCapabilityComesAfterThoseItDependsOn() {
    List<Class<?>> order =
        Planner.capabilities().stream().<Class<?>>map(PartialPlanner::getClass).toList();
    assertThat(order)
        .containsExactly(
            LaunchTemplatePlanner.class,
            TargetGroupPlanner.class,
            LoadBalancerPlanner.class,
            ListenerPlanner.class,
            GroupPlanner.class,
            WarmPoolPlanner.class,
            LifecycleHookPlanner.class,
            ScalingPolicyPlanner.class,
            RolloutPlanner.class,
            VersionPruningPlanner.class);
    for (PartialPlanner<?> p : Planner.capabilities()) {
      for (var dependency : p.dependsOn()) {
        assertThat(order.indexOf(dependency))
            .as(p.getClass().getSimpleName() + " after " + dependency.getSimpleName())
            .isLessThan(order.indexOf(p.getClass()));
      }
    }
  }

  static final class First extends Dep {
    First() {
      super(List.of(Second.class));
    }
  }

  static final class Second extends Dep {
    Second() {
      super(List.of());
    }
  }

  static class Dep implements PartialPlanner<Void> {
    final List<Class<? extends PartialPlanner<?>>> deps;

    Dep(List<Class<? extends PartialPlanner<?>>> deps) {
      this.deps = deps;
    }

    @Override
    public List<Class<? extends PartialPlanner<?>>> dependsOn() {
      return deps;
    }

    @Override
    public Optional<Void> plan(PlanContext c) {
      return Optional.empty();
    }
  }

  static final class Cyclic extends Dep {
    Cyclic() {
      super(List.of(Cyclic.class));
    }
  }

  @Test
  void theOrderFollowsDependenciesAndOtherwiseTheGivenOrder() {
    var first = new First();
    var second = new Second();
    assertThat(Planner.dependencyOrder(List.of(first, second))).containsExactly(second, first);
    assertThat(Planner.dependencyOrder(List.of(second, first))).containsExactly(second, first);
  }

  @Test
  void aMissingDependencyOrACycleIsRefused() {
    assertThatThrownBy(() -> Planner.dependencyOrder(List.of(new First())))
        .hasMessageContaining("First depends on Second, which is missing");
    assertThatThrownBy(() -> Planner.dependencyOrder(List.of(new Cyclic())))
        .hasMessageContaining("form a cycle");
  }

  @Test
  void aPlannerCannotReadACapabilityItDoesNotDependOn() {
    var c = new PlanContext(BASE, converged(), Memory.NONE, Map.of());
    assertThatThrownBy(() -> c.ready(GroupPlanner.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GroupPlanner");
  }

  @Test
  void nothingExistsYet_theLaunchTemplateAndTargetGroupComeFirst() {
    var nothing = ObservedApp.builder().subnets(converged().subnets()).build();
    assertThat(kinds(Planner.plan(BASE, nothing, Memory.NONE).actions()))
        .containsExactly("CreateLaunchTemplate", "CreateTargetGroup");
  }

  @Test
  void theGroupComesOnceItsDependenciesExistAndThenItsPolicy() {
    var noGroup = converged().toBuilder().group(null).policy(null).build();
    assertThat(kinds(Planner.plan(BASE, noGroup, Memory.NONE).actions()))
        .containsExactly("CreateGroup");

    var noPolicy = converged().toBuilder().policy(null).build();
    assertThat(kinds(Planner.plan(BASE, noPolicy, Memory.NONE).actions()))
        .containsExactly("PutScalingPolicy");
  }

  @Test
  void everythingMatches_nothingToDo() {
    var plan = Planner.plan(BASE, converged(), Memory.NONE);
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.waitingFor()).isEmpty();
    assertThat(plan.blocked()).isEmpty();
  }

  @Test
  void aNewVersionIsMadeFirstAndRolledOutByTheNextPlan() {
    var small = desired(a -> a.getSpec().instanceType = "t3.small");
    assertThat(kinds(Planner.plan(small, converged(), Memory.NONE).actions()))
        .containsExactly("CreateLaunchTemplateVersion");

    var v2 = converged().withLaunchTemplate(template(2, 1, "t3.small"));
    assertThat(kinds(Planner.plan(small, v2, Memory.NONE).actions()))
        .containsExactly("StartRefresh");
  }

  @Test
  void aConflictAnywhereStopsEveryAction() {
    var g = converged().group().orElseThrow();
    var foreignGroup =
        converged()
            .withGroup(
                PlanFixtures.copy(
                    g, g.subnetIds(), g.targetGroupArns(), HealthCheckType.ELB, FOREIGN, false));
    var plan =
        Planner.plan(
            desired(a -> a.getSpec().instanceType = "t3.large"), foreignGroup, Memory.NONE);

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.hasConflict()).isTrue();
    assertThat(plan.conflicts()).singleElement().asString().contains("owned by payroll/directory");
  }

  @Test
  void removalsComeAfterChangesInReverseDependencyOrder() {
    var withLb =
        converged()
            .withLoadBalancer(
                loadBalancer("internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), OURS));
    var dropped = desired(a -> a.getSpec().scaling = null);
    assertThat(kinds(Planner.plan(dropped, withLb, Memory.NONE).actions()))
        .containsExactly("DeleteScalingPolicy", "DeleteListener", "DeleteLoadBalancer");
  }

  @Test
  void loadBalancerThenItsListenerThenDriftCorrectedInOnePlan() {
    assertThat(kinds(Planner.plan(WITH_LB, converged(), Memory.NONE).actions()))
        .containsExactly("CreateLoadBalancer");
    var created =
        converged().withLoadBalancer(loadBalancer("internet-facing", PUBLIC, List.of(), OURS));
    assertThat(kinds(Planner.plan(WITH_LB, created, Memory.NONE).actions()))
        .containsExactly("CreateListener");
    var drifted =
        converged()
            .withLoadBalancer(
                loadBalancer(
                    "internet-facing",
                    List.of(PUBLIC.get(0), "subnet-000000pc"),
                    List.of(listener(80, "arn:other"), listener(8080, TG_ARN)),
                    OURS));
    assertThat(kinds(Planner.plan(WITH_LB, drifted, Memory.NONE).actions()))
        .containsExactly("SetLoadBalancerSubnets", "ModifyListener", "DeleteListener");
  }

  @Test
  void deletionGoesPolicyAndGroupFirstThenListenersLoadBalancerTargetGroupAndTemplate() {
    var all =
        converged()
            .withLoadBalancer(
                loadBalancer("internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), OURS));
    assertThat(kinds(Planner.planDeletion(BASE.ownerKey(), BASE.names(), all).actions()))
        .containsExactly("DeleteScalingPolicy", "DeleteGroup");

    var g = converged().group().orElseThrow();
    var deleting =
        all.withGroup(
            PlanFixtures.copy(
                g, g.subnetIds(), g.targetGroupArns(), HealthCheckType.ELB, g.tags(), true));
    var waiting = Planner.planDeletion(BASE.ownerKey(), BASE.names(), deleting);
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.waitingFor()).singleElement().asString().contains("being deleted");

    var groupGone = all.toBuilder().group(null).policy(null).build();
    assertThat(kinds(Planner.planDeletion(BASE.ownerKey(), BASE.names(), groupGone).actions()))
        .containsExactly(
            "DeleteListener", "DeleteLoadBalancer", "DeleteTargetGroup", "DeleteLaunchTemplate");

    assertThat(Planner.planDeletion(BASE.ownerKey(), BASE.names(), ObservedApp.nothing()).isEmpty())
        .isTrue();
  }

  @Test
  void deletionLeavesForeignResourcesAloneAndReportsThem() {
    var g = converged().group().orElseThrow();
    var foreignGroup =
        converged()
            .withGroup(
                PlanFixtures.copy(
                    g, g.subnetIds(), g.targetGroupArns(), HealthCheckType.ELB, FOREIGN, false));
    var plan = Planner.planDeletion(BASE.ownerKey(), BASE.names(), foreignGroup);
    assertThat(kinds(plan.actions())).containsExactly("DeleteTargetGroup", "DeleteLaunchTemplate");
    assertThat(plan.conflicts()).singleElement().asString().contains("Auto Scaling Group");
  }

  @Test
  void everyCapabilityValidatesItsPartOfTheSpec() {
    var s = desired(a -> {}).spec();
    s.capacity.min = 5;
    s.rollout = new io.scalableapp.operator.api.RolloutSpec();
    s.rollout.minHealthyPercentage = 100;
    s.rollout.maxHealthyPercentage = 100;
    s.targetGroup.healthCheck.timeoutSeconds = 60;
    assertThat(SpecValidator.validate(s))
        .anySatisfy(p -> assertThat(p).startsWith("spec.capacity:"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.rollout:"))
        .anySatisfy(p -> assertThat(p).startsWith("spec.targetGroup.healthCheck:"));
  }
}
