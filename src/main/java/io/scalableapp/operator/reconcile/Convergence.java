package io.scalableapp.operator.reconcile;

import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.observe.AppObserver;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.plan.DesiredApp;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import io.scalableapp.operator.plan.Planner;
import io.scalableapp.operator.plan.RolloutPlanner;
import io.scalableapp.operator.status.Outcome;
import java.util.List;
import java.util.function.Consumer;

/**
 * One reconciliation of a valid app: observe, plan and apply until nothing is left to do now, and
 * what it saw last. Paused, it observes and plans only. An AWS error ends it, and is part of the
 * outcome.
 */
final class Convergence implements ApplyLoop.Pass {
  private final CloudProvider clouds;
  private final AppObserver observer;
  private final DesiredApp desired;
  private final boolean paused;
  private final boolean loadBalancer;
  private final Consumer<Action> onApplied;
  private boolean rolloutTracked;
  private final boolean atRest;
  private boolean touched;
  private Memory memory;
  private String region;
  private ObservedApp observed;
  private Plan plan;

  /**
   * @param previous the app's last status: what it remembers, whether a rollout or a load balancer
   *     was seen
   * @param onApplied called with each action AWS accepted
   */
  Convergence(
      CloudProvider clouds,
      AppObserver observer,
      DesiredApp desired,
      ScalableAppStatus previous,
      Consumer<Action> onApplied) {
    this.clouds = clouds;
    this.observer = observer;
    this.desired = desired;
    this.paused = desired.spec().pauseRequested();
    this.memory = Memory.of(previous);
    this.rolloutTracked = previous != null && previous.rollout != null && previous.rollout.active();
    // New (never reconciled, so never changed by this process) or Ready: the region's poll serves.
    this.atRest = previous == null || previous.phase == ScalableAppStatus.Phase.Ready;
    this.loadBalancer =
        desired.wantsLoadBalancer() || (previous != null && previous.loadBalancer != null);
    this.onApplied = onApplied;
  }

  Outcome run() {
    try {
      region = clouds.region(desired.region());
      if (movedFromAnotherRegion()) {
        return new Outcome(null, regionBlocked(), List.of(), null, paused, memory);
      }
      // A resource AWS says is still in use (a target group being detached) is waited for.
      ApplyLoop.run(desired.ownerKey(), clouds.forRegion(region), this, true);
    } catch (CloudException e) {
      return new Outcome(observed, plan, List.of(), e, paused, memory);
    }
    // What the last plan remembers holds only if nothing of it is left to do.
    if (!paused && !plan.hasConflict() && plan.isEmpty()) {
      memory = plan.memory();
    }
    if (!observed.isEmpty()) {
      memory = memory.withRegion(region);
    }
    return new Outcome(observed, plan, List.of(), null, paused, memory);
  }

  /**
   * The spec now names another region than the one the app's resources are in. Resources cannot
   * move: while any is left there, nothing is done in either region. Once none is (deleted by hand,
   * or never created), the app starts afresh in the new one.
   */
  private boolean movedFromAnotherRegion() {
    String was = memory.region();
    if (was == null || was.equals(region)) {
      return false;
    }
    if (!observer.observe(was, desired.names(), List.of(), false, true).isEmpty()) {
      return true;
    }
    memory = memory.withRegion(null);
    return false;
  }

  private Plan regionBlocked() {
    return new Plan(
        List.of(),
        List.of(),
        List.of(
            "spec.region: the app's AWS resources are in "
                + memory.region()
                + ", and an app cannot move to "
                + region
                + " (set spec.region back to "
                + memory.region()
                + ", or delete the app and create it anew); nothing was changed in either region"),
        List.of(),
        memory);
  }

  @Override
  public ObservedApp observe() {
    observed =
        observer.observe(
            desired.ownerKey(),
            region,
            desired.names(),
            desired.subnetIds(),
            rolloutTracked,
            loadBalancer,
            atRest && !touched,
            desired.spec().lifecycle != null);
    observed =
        observer.withImage(observed, desired.ownerKey(), region, desired.spec().imageParameter());
    return observed;
  }

  @Override
  public Plan plan(ObservedApp o) {
    plan = Planner.plan(desired, o, memory);
    return plan;
  }

  @Override
  public boolean mayApply(Plan p) {
    return !paused && !p.hasConflict();
  }

  @Override
  public void attempting(Action action) {
    touched = true;
    // Even if AWS refuses it (a refresh already active: a crash after the last start, before its
    // status was written), the next observation reads the group's refreshes.
    rolloutTracked |= action instanceof RolloutPlanner.StartRefresh;
    observer.changing(region, desired.ownerKey(), desired.names(), action.elbEffect());
  }

  @Override
  public void attempted(Action action) {
    observer.changing(region, desired.ownerKey(), desired.names(), action.elbEffect());
  }

  @Override
  public void created(Object resource) {
    observer.created(region, resource);
  }

  @Override
  public void applied(Action action) {
    onApplied.accept(action);
  }

  @Override
  public void done(Plan p) {
    memory = p.memory();
  }
}
