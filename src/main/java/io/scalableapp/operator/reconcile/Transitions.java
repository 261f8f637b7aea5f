package io.scalableapp.operator.reconcile;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.RolloutStatus;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which status changes become events: rollout outcomes, a single zone, new Degraded reasons. */
final class Transitions {
  private Transitions() {}

  static List<Event> between(ScalableAppStatus previous, ScalableAppStatus next) {
    var out = new ArrayList<Event>();
    rolloutEnded(previous == null ? null : previous.rollout, next.rollout).ifPresent(out::add);
    if (singleZone(next.availabilityZones)
        && (previous == null || !singleZone(previous.availabilityZones))) {
      out.add(
          Event.of(
              Reason.SingleAvailabilityZone,
              "spec.subnetIds cover only "
                  + next.availabilityZones.keySet().iterator().next()
                  + ": an outage of that zone stops the whole app;"
                  + " add a subnet in another availability zone"));
    }
    Optional<Condition> degraded = degraded(next);
    Optional<Condition> wasDegraded = previous == null ? Optional.empty() : degraded(previous);
    degraded
        .filter(d -> wasDegraded.map(w -> !Objects.equals(w.reason, d.reason)).orElse(true))
        .ifPresent(d -> out.add(Event.of(Reason.valueOf(d.reason), d.message)));
    return out;
  }

  /** A refresh seen ending now: it was active at the last write, or it is one not reported yet. */
  static Optional<Event> rolloutEnded(RolloutStatus before, RolloutStatus after) {
    if (after == null
        || after.id == null
        || after.status == null
        || after.active()
        || (before != null && Objects.equals(before.id, after.id) && !before.active())) {
      return Optional.empty();
    }
    String what = "rollout of launch template version " + after.targetVersion;
    RefreshStatus status = RefreshStatus.of(after.status);
    return Optional.of(
        switch (status) {
          case Successful -> Event.of(Reason.RolloutSucceeded, what + " succeeded");
          case Cancelled -> Event.of(Reason.RolloutCancelled, what + " cancelled");
          default ->
              Event.of(
                  status.rollingBack() ? Reason.RolledBack : Reason.RolloutFailed,
                  what
                      + " ended "
                      + after.status
                      + (after.statusReason == null ? "" : ": " + after.statusReason));
        });
  }

  private static boolean singleZone(Map<String, Integer> zones) {
    return zones != null && zones.size() == 1;
  }

  private static Optional<Condition> degraded(ScalableAppStatus s) {
    return s.condition(Condition.DEGRADED).filter(Condition::isTrue);
  }
}
