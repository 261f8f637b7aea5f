package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Action;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import io.scalableapp.operator.plan.TargetGroupPlanner.CreateTargetGroup;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loop tells its pass about each action before the call and again after it returned, whatever
 * AWS answered, so what the observer read while a change was landing is never taken for the state
 * after it; and it hands over AWS's answer to a create only after that.
 */
class ApplyLoopTest {
  static final TargetGroupConfig CONFIG =
      new TargetGroupConfig(
          "web-1234abcd", "HTTP", 80, "vpc-1", new HealthCheckConfig("/", 30, 5, 3, 2, "200"));

  final SimulatedCloud sim =
      new SimulatedCloud(new SimClock(Instant.parse("2026-01-01T00:00:00Z")));
  final InterceptedCloud counted = new InterceptedCloud(sim);
  final List<String> told = new ArrayList<>();

  /** One pass plans the create, the next plans nothing. */
  ApplyLoop.Pass pass() {
    return new ApplyLoop.Pass() {
      int observed;

      @Override
      public ObservedApp observe() {
        observed++;
        return ObservedApp.builder().build();
      }

      @Override
      public Plan plan(ObservedApp o) {
        List<Action> actions =
            observed == 1 ? List.of(new CreateTargetGroup(CONFIG, Map.of(), "missing")) : List.of();
        return new Plan(actions, List.of(), List.of(), List.of(), Memory.NONE);
      }

      @Override
      public void attempting(Action action) {
        told.add("attempting");
      }

      @Override
      public void attempted(Action action) {
        told.add("attempted");
      }

      @Override
      public void created(Object resource) {
        told.add("created " + ((TargetGroupHead) resource).config().name());
      }

      @Override
      public void applied(Action action) {
        told.add("applied");
      }
    };
  }

  @Test
  void aCreateIsBracketedAndItsAnswerHandedOverAfterward() {
    ApplyLoop.run("shop/web", counted.forRegion("us-east-1"), pass(), false);

    assertThat(told).containsExactly("attempting", "attempted", "created web-1234abcd", "applied");
  }

  @Test
  void aCallThatFailsIsStillToldAsAttempted() {
    counted.failOn(
        "TargetGroups.create",
        () -> new CloudException(CloudException.Kind.TRANSIENT, "InternalFailure", "HTTP 500"));

    assertThatThrownBy(
            () -> ApplyLoop.run("shop/web", counted.forRegion("us-east-1"), pass(), false))
        .isInstanceOf(CloudException.class);
    assertThat(told).containsExactly("attempting", "attempted");
  }

  @Test
  void aRefreshAlreadyActiveIsObservedAgainNotWaitedFor() {
    // A crash after StartInstanceRefresh, before status showed it: AWS answers IN_USE, and the next
    // observation (which reads the group's refreshes) decides, in the same reconciliation.
    var start =
        new io.scalableapp.operator.plan.RolloutPlanner.StartRefresh(
            "web",
            "lt-1",
            2,
            io.scalableapp.operator.cloud.RefreshPreferences.withDefaults(
                null, null, null, null, null),
            "roll out version 2");
    var observations = new java.util.concurrent.atomic.AtomicInteger();
    var pass =
        new ApplyLoop.Pass() {
          @Override
          public ObservedApp observe() {
            observations.incrementAndGet();
            return ObservedApp.builder().build();
          }

          @Override
          public Plan plan(ObservedApp o) {
            return new Plan(
                observations.get() == 1 ? List.of(start) : List.of(),
                List.of(),
                List.of(),
                List.of(),
                Memory.NONE);
          }
        };
    counted.failOn(
        "AutoScalingGroups.startRefresh",
        () ->
            new CloudException(
                CloudException.Kind.IN_USE,
                "InstanceRefreshInProgress",
                "An Instance Refresh is already in progress"));

    var last = ApplyLoop.run("shop/web", counted.forRegion("us-east-1"), pass, true);

    assertThat(last.inUse()).isFalse();
    assertThat(observations).hasValue(2);
  }
}
