package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Instance refreshes as AWS runs them: batches bounded by the minimum healthy percentage, room
 * above desired capacity up to the maximum, warmup, skip matching, cancel, and failure with
 * automatic rollback once enough new instances fail their health checks. Runs under the Auto
 * Scaling service's lock.
 */
final class Refreshes {
  private final World.Settings settings;
  private final Fleet fleet;

  Refreshes(World.Settings settings, Fleet fleet) {
    this.settings = settings;
    this.fleet = fleet;
  }

  /** Instances the refresh still has to replace. */
  static List<SimInstance> toReplace(SimGroup g, SimRefresh r) {
    return g.live().stream()
        .filter(i -> !r.replaced.contains(i.id))
        .filter(
            i ->
                i.version != r.current
                    || !Fleet.launchable(r.currentPolicy, i.type)
                    || (!r.prefs.skipMatching() && i.launchedAt.isBefore(r.start)))
        .toList();
  }

  /** Instances the running refresh may launch above desired capacity (max healthy percentage). */
  int surge(SimGroup g) {
    return g.activeRefresh()
        .filter(SimRefresh::replacing)
        .map(
            r -> {
              int maxTotal = (int) Math.floor(g.desired * r.prefs.maxHealthyPercentage() / 100.0);
              return Math.max(0, Math.min(maxTotal - g.desired, toReplace(g, r).size()));
            })
        .orElse(0);
  }

  void step(SimGroup g, Instant t) {
    var active = g.activeRefresh();
    if (active.isEmpty()) {
      return;
    }
    SimRefresh r = active.get();
    switch (r.status) {
      case Pending -> {
        r.status = RefreshStatus.InProgress;
        r.toReplaceAtStart = toReplace(g, r).size();
      }
      case Cancelling -> {
        r.status = RefreshStatus.Cancelled;
        r.end = t;
        r.statusReason = "Cancelled by request";
      }
      case InProgress, RollbackInProgress -> replaceBatch(g, r, t);
      default -> {}
    }
  }

  /** Rolls back to the group's previous configuration: its instances are replaced again. */
  void rollBack(SimRefresh r, String reason) {
    r.status = RefreshStatus.RollbackInProgress;
    r.statusReason = reason;
    r.current = r.previous;
    r.currentPolicy = r.previousPolicy;
    r.replaced.clear();
  }

  private void replaceBatch(SimGroup g, SimRefresh r, Instant t) {
    if (r.status == RefreshStatus.InProgress
        && r.failedLaunches >= settings.failedLaunchesToFailRefresh()) {
      String reason =
          r.failedLaunches
              + " instances launched from version "
              + r.target
              + " failed their health checks";
      if (r.prefs.autoRollback()) {
        rollBack(r, reason);
        r.toReplaceAtStart = toReplace(g, r).size();
      } else {
        r.statusReason = reason;
        r.status = RefreshStatus.Failed;
        r.end = t;
      }
      return;
    }
    Duration warmup =
        r.prefs.instanceWarmupSeconds() == null
            ? settings.defaultWarmup()
            : Duration.ofSeconds(r.prefs.instanceWarmupSeconds());
    List<SimInstance> remaining = toReplace(g, r);
    boolean settling =
        g.live().stream()
            .anyMatch(
                i ->
                    i.version == r.current
                        && (i.state == LifecycleState.Pending
                            || i.inServiceAt == null
                            || i.inServiceAt.plus(warmup).isAfter(t)));
    if (remaining.isEmpty() && !settling) {
      r.status =
          r.status == RefreshStatus.RollbackInProgress
              ? RefreshStatus.RollbackSuccessful
              : RefreshStatus.Successful;
      r.end = t;
      if (r.status == RefreshStatus.Successful) {
        g.version = r.target;
        g.instancesPolicy = r.targetPolicy;
      }
      return;
    }
    if (settling) {
      return;
    }
    int minHealthy = (int) Math.ceil(g.desired * r.prefs.minHealthyPercentage() / 100.0);
    int healthy = (int) g.live().stream().filter(i -> fleet.healthy(g, i)).count();
    // With room above desired capacity, new instances launch first and old ones go only while
    // enough are healthy; without it, AWS takes at least one instance out at a time.
    int batch =
        Math.min(
            remaining.size(),
            r.prefs.maxHealthyPercentage() > 100
                ? Math.max(0, healthy - minHealthy)
                : Math.max(1, healthy - minHealthy));
    remaining.stream()
        .sorted(Comparator.comparing((SimInstance i) -> i.launchedAt))
        .limit(batch)
        .forEach(
            i -> {
              r.replaced.add(i.id);
              fleet.terminate(g, i, t);
            });
  }
}
