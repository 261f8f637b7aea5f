package io.scalableapp.operator.reconcile;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.plan.Creates;
import io.scalableapp.operator.plan.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one observe-plan-apply loop, for reconciling and for deleting: each pass applies a plan's
 * actions and observes again, until nothing is left to do now (a few passes: launch template and
 * target group, then the group, then its policy). So every step only uses ids AWS already gave, and
 * a crash at any point is picked up by the next observation.
 */
final class ApplyLoop {
  static final int MAX_PASSES = 6;
  private static final Logger log = LoggerFactory.getLogger(ApplyLoop.class);

  /** One kind of run: how to observe and plan, and what to do with applied actions. */
  interface Pass {
    ObservedApp observe();

    Plan plan(ObservedApp observed);

    /** Whether this plan's actions may be applied (for instance, not while paused). */
    default boolean mayApply(Plan plan) {
      return true;
    }

    /** Before each action is sent to AWS (whatever AWS then answers). */
    default void attempting(Action action) {}

    /**
     * After each action's call returned, whatever AWS answered (or failed to): what was read before
     * it landed is older than the change.
     */
    default void attempted(Action action) {}

    /** AWS's answer to a {@link Creates} action: the whole resource it made. */
    default void created(Object resource) {}

    /** After each action AWS accepted. */
    default void applied(Action action) {}

    /** After every action of a plan was applied. */
    default void done(Plan plan) {}
  }

  /**
   * What the loop saw last.
   *
   * @param inUse an action stopped on a resource AWS says is still in use (only when waiting on
   *     that was asked for): observe again later
   */
  record Last(ObservedApp observed, Plan plan, boolean inUse) {}

  private ApplyLoop() {}

  /**
   * Runs passes until the plan is empty or may not be applied. A create AWS answers with
   * ALREADY_EXISTS (this operator before a crash, or someone else) is observed again, never
   * repeated; the next plan decides whether the resource is the app's.
   *
   * @param waitWhileInUse IN_USE ends the loop as {@link Last#inUse()} instead of failing it
   * @throws CloudException any other AWS error
   */
  static Last run(String owner, Cloud cloud, Pass pass, boolean waitWhileInUse) {
    ObservedApp observed = pass.observe();
    Plan plan = pass.plan(observed);
    for (int i = 0; i < MAX_PASSES && !plan.isEmpty() && pass.mayApply(plan); i++) {
      for (Action action : plan.actions()) {
        log.info("{}: {}", owner, action.describe());
        Object made = null;
        pass.attempting(action);
        try {
          if (action instanceof Creates<?> creates) {
            made = creates.create(cloud);
          } else {
            action.apply(cloud);
          }
        } catch (CloudException e) {
          if (e.is(Kind.ALREADY_EXISTS)) {
            log.info("{}: {} already exists; observing again", owner, action.eventReason());
            continue;
          }
          if (e.is(Kind.IN_USE) && action.alreadyBegunWhenInUse()) {
            log.info("{}: {} already begun; observing again", owner, action.eventReason());
            continue;
          }
          if (waitWhileInUse && e.is(Kind.IN_USE)) {
            log.info("{}: {} still in use; waiting", owner, e.getMessage());
            return new Last(observed, plan, true);
          }
          throw e;
        } finally {
          pass.attempted(action);
        }
        if (made != null) {
          pass.created(made);
        }
        pass.applied(action);
      }
      pass.done(plan);
      observed = pass.observe();
      plan = pass.plan(observed);
    }
    return new Last(observed, plan, false);
  }
}
