package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.RolloutStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which status changes become Kubernetes events. */
class TransitionsTest {
  static ScalableAppStatus status(
      Map<String, Integer> zones, RolloutStatus rollout, Condition... conditions) {
    var s = new ScalableAppStatus();
    s.availabilityZones = zones;
    s.rollout = rollout;
    s.conditions = List.of(conditions);
    return s;
  }

  static RolloutStatus rollout(String id, String status) {
    var r = new RolloutStatus();
    r.id = id;
    r.status = status;
    r.targetVersion = 2L;
    r.statusReason =
        status.startsWith("Rollback") ? "3 instances failed their health checks" : null;
    return r;
  }

  static List<String> reasons(ScalableAppStatus before, ScalableAppStatus after) {
    return Transitions.between(before, after).stream()
        .map(e -> e.type() + " " + e.reason())
        .toList();
  }

  @Test
  void singleZoneWarnsOnceWhenItAppears() {
    var one = status(Map.of("us-east-1a", 2), null);
    assertThat(reasons(null, one)).containsExactly("Warning SingleAvailabilityZone");
    assertThat(reasons(one, one)).isEmpty();
    assertThat(reasons(null, status(Map.of("us-east-1a", 1, "us-east-1b", 1), null))).isEmpty();
  }

  @Test
  void rolloutOutcomesAreReportedOnce() {
    var two = Map.of("a", 1, "b", 1);
    var running = status(two, rollout("r1", "InProgress"));
    assertThat(reasons(running, status(two, rollout("r1", "Successful"))))
        .containsExactly("Normal RolloutSucceeded");
    assertThat(reasons(running, status(two, rollout("r1", "Cancelled"))))
        .containsExactly("Normal RolloutCancelled");
    assertThat(reasons(running, status(two, rollout("r1", "Failed"))))
        .containsExactly("Warning RolloutFailed");
    assertThat(reasons(running, status(two, rollout("r1", "RollbackSuccessful"))))
        .containsExactly("Warning RolledBack");
    var done = status(two, rollout("r1", "Successful"));
    assertThat(reasons(done, done)).isEmpty();
  }

  @Test
  void degradedWarnsWhenItsReasonChanges() {
    var two = Map.of("a", 1, "b", 1);
    var aws = new Condition(Condition.DEGRADED, true, "AwsError", "AWS rejected ...");
    var denied = new Condition(Condition.DEGRADED, true, "AccessDenied", "not authorized");
    assertThat(reasons(status(two, null), status(two, null, aws)))
        .containsExactly("Warning AwsError");
    assertThat(reasons(status(two, null, aws), status(two, null, aws))).isEmpty();
    assertThat(reasons(status(two, null, aws), status(two, null, denied)))
        .containsExactly("Warning AccessDenied");
  }
}
