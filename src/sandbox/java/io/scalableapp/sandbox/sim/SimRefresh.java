package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** An instance refresh's state; changed only under the Auto Scaling service's lock. */
final class SimRefresh {
  String id;
  RefreshStatus status = RefreshStatus.Pending;
  String statusReason;

  /** The version the refresh was started toward (what AWS keeps reporting, also in rollback). */
  long target;

  /** The version instances are being replaced with now: the target, or the previous in rollback. */
  long current;

  long previous;

  /** The mixed instances policy of the target, of the instances being launched now, and before. */
  InstancesPolicy targetPolicy;

  InstancesPolicy currentPolicy;
  InstancesPolicy previousPolicy;
  String templateId;
  RefreshPreferences prefs;
  Instant start;
  Instant end;
  int toReplaceAtStart;
  int failedLaunches;
  final Set<String> replaced = new HashSet<>();

  boolean active() {
    return status.active();
  }

  /** Replacing instances, rolling forward or back. */
  boolean replacing() {
    return status == RefreshStatus.InProgress || status == RefreshStatus.RollbackInProgress;
  }

  ObservedRefresh observed(int remaining) {
    int pct =
        toReplaceAtStart == 0
            ? 100
            : Math.min(
                100, (int) Math.round(100.0 * (toReplaceAtStart - remaining) / toReplaceAtStart));
    if (!active()) {
      pct = status == RefreshStatus.Successful ? 100 : pct;
    }
    return new ObservedRefresh(
        id, status, statusReason, pct, active() ? remaining : 0, target, start, end, targetPolicy);
  }

  String describe() {
    return status + " toward v" + target;
  }
}
