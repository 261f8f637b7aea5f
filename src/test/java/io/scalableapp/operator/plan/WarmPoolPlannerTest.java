package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.WarmPoolSpec;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.warmPool: put when missing or different, deleted when dropped and before the group. */
class WarmPoolPlannerTest {
  static final WarmPoolPlanner PLANNER = new WarmPoolPlanner();

  static final DesiredApp WARM =
      desired(
          a -> {
            a.getSpec().warmPool = new WarmPoolSpec();
            a.getSpec().warmPool.minSize = 1;
            a.getSpec().warmPool.reuseOnScaleIn = true;
          });

  static ObservedGroup withPool(ObservedWarmPool pool) {
    return group(2, 4, 2, 1).withWarmPool(pool);
  }

  static PlanFixtures.Run run(DesiredApp d, ObservedGroup g) {
    return PlanFixtures.run(
        PLANNER,
        d,
        converged().withGroup(g),
        Memory.NONE,
        PlanFixtures.readyWith(GroupPlanner.class, Optional.ofNullable(g)));
  }

  @Test
  void aMissingPoolIsPutWithAwsDefaults() {
    var run = run(WARM, group(2, 4, 2, 1));
    run.assertActions(List.of("PutWarmPool:warm pool does not exist"));
    var put = (WarmPoolPlanner.PutWarmPool) run.context().actions().get(0);
    assertThat(put.config()).isEqualTo(new WarmPoolConfig(1, null, "Stopped", true));
    assertThat(run.result()).isEmpty();
  }

  @Test
  void aDifferentPoolIsPutAgainNamingWhatChanged() {
    var seen = new ObservedWarmPool(new WarmPoolConfig(0, 3, "Running", true), 1, false, Map.of());
    var run = run(WARM, withPool(seen));
    run.assertActions(
        List.of(
            "PutWarmPool:minSize 0 -> 1; maxGroupPreparedCapacity 3 -> (the group's max); pool"
                + " state Running -> Stopped"));
  }

  @Test
  void thePoolTheSpecAsksForIsReady() {
    var seen =
        new ObservedWarmPool(new WarmPoolConfig(1, null, "Stopped", true), 2, false, Map.of());
    var run = run(WARM, withPool(seen));
    assertThat(run.all()).isEmpty();
    assertThat((Object) run.result().orElseThrow()).isEqualTo(Optional.of(seen.config()));
  }

  @Test
  void aPoolTheSpecDropsIsDeletedAndOneBeingDeletedIsWaitedFor() {
    var seen =
        new ObservedWarmPool(new WarmPoolConfig(1, null, "Stopped", true), 2, false, Map.of());
    run(PlanFixtures.BASE, withPool(seen))
        .assertActions(List.of("DeleteWarmPool:spec.warmPool removed (its 2 instance(s)"));

    var deleting =
        new ObservedWarmPool(new WarmPoolConfig(1, null, "Stopped", true), 1, true, Map.of());
    var waiting = run(WARM, withPool(deleting));
    assertThat(waiting.all()).isEmpty();
    assertThat(waiting.context().waitingFor()).singleElement().asString().contains("being deleted");

    var none = run(PlanFixtures.BASE, group(2, 4, 2, 1));
    assertThat(none.all()).isEmpty();
    assertThat((Object) none.result().orElseThrow()).isEqualTo(Optional.empty());
  }

  @Test
  void theAppsDeletionTakesThePoolBeforeTheGroup() {
    var seen =
        new ObservedWarmPool(new WarmPoolConfig(1, null, "Stopped", true), 2, false, Map.of());
    var observed = converged().withGroup(withPool(seen));
    var c = PlanFixtures.delete(PLANNER, observed, false);
    assertThat(PlanFixtures.kinds(c.removals())).containsExactly("DeleteWarmPool");

    // The whole plan: the pool goes first; the group waits until it is gone.
    var plan =
        Planner.planDeletion(PlanFixtures.BASE.ownerKey(), PlanFixtures.BASE.names(), observed);
    assertThat(PlanFixtures.kinds(plan.actions()))
        .contains("DeleteWarmPool")
        .doesNotContain("DeleteGroup");

    var gone = converged().withGroup(group(2, 4, 2, 1));
    assertThat(PlanFixtures.delete(PLANNER, gone, true).removals()).isEmpty();
  }
}
