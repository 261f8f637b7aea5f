package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.readyConverged;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.LifecycleSpec;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.lifecycle: hooks put, changed and removed on the group; a new group has them at once. */
class LifecycleHookPlannerTest {
  static final LifecycleHookPlanner PLANNER = new LifecycleHookPlanner();
  static final LifecycleHookConfig THEIRS =
      new LifecycleHookConfig(
          "audit-logs", LifecycleHookConfig.TERMINATING, 300, LifecycleHookConfig.CONTINUE);

  static DesiredApp withLifecycle(Integer drain, Integer launch) {
    return desired(
        a -> {
          a.getSpec().lifecycle = new LifecycleSpec();
          a.getSpec().lifecycle.drainSeconds = drain;
          a.getSpec().lifecycle.launchTimeoutSeconds = launch;
        });
  }

  static PlanFixtures.Run plan(DesiredApp d, List<LifecycleHookConfig> seen) {
    ObservedApp observed = converged().withLifecycleHooks(seen);
    return PlanFixtures.run(PLANNER, d, observed, Memory.NONE, readyConverged());
  }

  @Test
  void aNewGroupIsCreatedWithItsHooksSoThatItsFirstInstancesWaitToo() {
    var run =
        PlanFixtures.run(
            new GroupPlanner(),
            withLifecycle(90, 600),
            ObservedApp.nothing(),
            Memory.NONE,
            PlanFixtures.readyWith(GroupPlanner.class, Optional.empty()));
    GroupConfig config = ((GroupPlanner.CreateGroup) run.context().actions().get(0)).config();

    assertThat(config.lifecycleHooks())
        .containsExactly(LifecycleHookConfig.drain(90), LifecycleHookConfig.launch(600));
    assertThat(config.lifecycleHooks())
        .allSatisfy(h -> assertThat(h.defaultResult()).isEqualTo("CONTINUE"));
  }

  @Test
  void missingAndChangedHooksArePutAndTheUsersOwnAreLeftAlone() {
    var run = plan(withLifecycle(90, 600), List.of(LifecycleHookConfig.drain(30), THEIRS));

    run.assertActions(
        List.of(
            "PutLifecycleHook:sapp-drain: heartbeat timeout 30 s -> 90 s",
            "PutLifecycleHook:sapp-launch does not exist"));
  }

  @Test
  void hooksTheSpecDropsAreDeletedAndNothingElse() {
    var run =
        plan(
            desired(a -> {}),
            List.of(LifecycleHookConfig.drain(90), LifecycleHookConfig.launch(600), THEIRS));

    assertThat(run.context().actions()).isEmpty();
    assertThat(run.context().removals())
        .extracting(a -> ((LifecycleHookPlanner.DeleteLifecycleHook) a).hookName())
        .containsExactlyInAnyOrder("sapp-drain", "sapp-launch");
  }

  @Test
  void matchingHooksOrUnreadOnesChangeNothing() {
    assertThat(plan(withLifecycle(90, null), List.of(LifecycleHookConfig.drain(90))).all())
        .isEmpty();

    var unread =
        PlanFixtures.run(
            PLANNER, withLifecycle(90, null), converged(), Memory.NONE, readyConverged());
    assertThat(unread.all()).isEmpty();
  }
}
