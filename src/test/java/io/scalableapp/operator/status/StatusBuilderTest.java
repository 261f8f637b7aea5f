package io.scalableapp.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.GroupPlanner;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");
  static final Plan EMPTY = new Plan(List.of(), List.of(), List.of(), List.of(), Memory.NONE);

  /** A plan with one action still to run. */
  static final Plan PENDING =
      new Plan(
          List.of(new GroupPlanner.DeleteGroup("g", "because")),
          List.of(),
          List.of(),
          List.of(),
          Memory.NONE);

  static ObservedApp groupWith(int inService, int desired) {
    var instances =
        java.util.stream.IntStream.range(0, inService)
            .mapToObj(
                i ->
                    new ObservedInstance(
                        "i-" + i, "us-east-1a", LifecycleState.InService, true, "t3.micro", 1L))
            .toList();
    var g =
        new ObservedGroup(
            "g",
            "arn:g",
            2,
            4,
            desired,
            List.of(),
            "lt-1",
            1L,
            List.of(),
            HealthCheckType.ELB,
            Map.of(),
            instances,
            false,
            Set.of());
    return ObservedApp.builder().group(g).build();
  }

  static Outcome outcome(ObservedApp observed, Plan plan) {
    return new Outcome(observed, plan, List.of(), null, false, Memory.NONE);
  }

  @Test
  void readyWhenConvergedWithMinInService() {
    var s = StatusBuilder.build(null, 3, 2, outcome(groupWith(2, 2), EMPTY), T0);
    assertThat(s.phase).isEqualTo(Phase.Ready);
    assertThat(s.replicas).isEqualTo(2);
    assertThat(s.observedGeneration).isEqualTo(3);
    assertThat(s.conditions).allSatisfy(c -> assertThat(c.observedGeneration).isEqualTo(3));
    assertThat(s.condition(Condition.READY).orElseThrow().isTrue()).isTrue();
    assertThat(s.condition(Condition.DEGRADED).orElseThrow().isTrue()).isFalse();
  }

  @Test
  void provisioningUntilMinInService() {
    var s = StatusBuilder.build(null, 1, 2, outcome(groupWith(1, 2), EMPTY), T0);
    assertThat(s.phase).isEqualTo(Phase.Provisioning);
    assertThat(s.condition(Condition.PROGRESSING).orElseThrow().isTrue()).isTrue();
    assertThat(s.condition(Condition.READY).orElseThrow().reason).isEqualTo("InsufficientCapacity");
  }

  @Test
  void transitionTimeIsKeptWhileStatusAndReasonStay() {
    var first = StatusBuilder.build(null, 1, 2, outcome(groupWith(2, 2), EMPTY), T0);
    var second = StatusBuilder.build(first, 2, 2, outcome(groupWith(3, 3), EMPTY), T1);
    assertThat(second.condition(Condition.READY).orElseThrow().lastTransitionTime)
        .isEqualTo(T0.toString());

    var degraded =
        StatusBuilder.build(
            second,
            2,
            2,
            new Outcome(
                groupWith(3, 3),
                EMPTY,
                List.of(),
                new CloudException(
                    CloudException.Kind.ACCESS_DENIED, "AccessDenied", "not allowed"),
                false,
                Memory.NONE),
            T1);
    assertThat(degraded.condition(Condition.READY).orElseThrow().lastTransitionTime)
        .isEqualTo(T1.toString());
    assertThat(degraded.condition(Condition.DEGRADED).orElseThrow().reason)
        .isEqualTo("AccessDenied");
    assertThat(degraded.condition(Condition.DEGRADED).orElseThrow().message)
        .contains("not allowed");
  }

  @Test
  void invalidSpecIsDegradedWithEveryProblem() {
    var s =
        StatusBuilder.build(
            null,
            1,
            0,
            Outcome.invalid(
                List.of("spec.capacity: min (5) must be <= max (2)", "spec.imageId: required"),
                Memory.NONE),
            T0);
    assertThat(s.phase).isEqualTo(Phase.Degraded);
    Condition d = s.condition(Condition.DEGRADED).orElseThrow();
    assertThat(d.reason).isEqualTo("InvalidSpec");
    assertThat(d.message).contains("min (5) must be <= max (2)").contains("spec.imageId: required");
  }

  @Test
  void pausedShowsThePlan() {
    var plan = PENDING;
    var s =
        StatusBuilder.build(
            null, 1, 2, new Outcome(groupWith(2, 2), plan, List.of(), null, true, Memory.NONE), T0);
    assertThat(s.phase).isEqualTo(Phase.Paused);
    assertThat(s.plannedActions).containsExactly("DeleteGroup: because");
    assertThat(s.condition(Condition.PROGRESSING).orElseThrow().reason).isEqualTo("Paused");
  }

  @Test
  void errorKeepsWhatWasKnownBefore() {
    var before = StatusBuilder.build(null, 1, 2, outcome(groupWith(2, 2), EMPTY), T0);
    var s =
        StatusBuilder.build(
            before,
            1,
            2,
            new Outcome(
                null,
                null,
                List.of(),
                new CloudException(CloudException.Kind.TRANSIENT, "Throttling", "slow down"),
                false,
                Memory.NONE),
            T1);
    assertThat(s.replicas).isEqualTo(2);
    assertThat(s.condition(Condition.DEGRADED).orElseThrow().reason).isEqualTo("AwsError");
  }

  @Test
  void noStatusChangeYieldsAnEqualStatus() {
    ScalableAppStatus a = StatusBuilder.build(null, 1, 2, outcome(groupWith(2, 2), EMPTY), T0);
    ScalableAppStatus b = StatusBuilder.build(a, 1, 2, outcome(groupWith(2, 2), EMPTY), T1);
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode before = json.valueToTree(a);
    com.fasterxml.jackson.databind.JsonNode after = json.valueToTree(b);
    assertThat(after).isEqualTo(before);
  }
}
