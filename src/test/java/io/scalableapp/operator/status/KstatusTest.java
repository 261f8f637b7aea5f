package io.scalableapp.operator.status;

import static io.scalableapp.operator.status.StatusBuilderTest.EMPTY;
import static io.scalableapp.operator.status.StatusBuilderTest.PENDING;
import static io.scalableapp.operator.status.StatusBuilderTest.T0;
import static io.scalableapp.operator.status.StatusBuilderTest.groupWith;
import static io.scalableapp.operator.status.StatusBuilderTest.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.plan.Memory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What kstatus (sigs.k8s.io/cli-utils, used by Flux, kpt and kubectl wait's conventions) makes of
 * an app's status, by its documented rules for any resource: a status for an older generation is
 * InProgress; then the abnormal-true conditions, Reconciling True is InProgress and Stalled True is
 * Failed; otherwise the resource is Current.
 */
class KstatusTest {
  enum Kstatus {
    InProgress,
    Failed,
    Current
  }

  /** kstatus's generic rules (cli-utils pkg/kstatus/status, "generic" conditions). */
  static Kstatus kstatus(long generation, ScalableAppStatus s) {
    if (s.observedGeneration != null && s.observedGeneration != generation) {
      return Kstatus.InProgress;
    }
    if (s.condition(Condition.RECONCILING).filter(Condition::isTrue).isPresent()) {
      return Kstatus.InProgress;
    }
    if (s.condition(Condition.STALLED).filter(Condition::isTrue).isPresent()) {
      return Kstatus.Failed;
    }
    return Kstatus.Current;
  }

  @Test
  void aReadyAppIsCurrent() {
    var s = StatusBuilder.build(null, 3, 2, outcome(groupWith(2, 2), EMPTY), T0);
    assertThat(s.phase).isEqualTo(Phase.Ready);
    assertThat(kstatus(3, s)).isEqualTo(Kstatus.Current);
    assertThat(s.condition(Condition.RECONCILING).orElseThrow().status).isEqualTo("False");
    assertThat(s.condition(Condition.STALLED).orElseThrow().status).isEqualTo("False");
  }

  @Test
  void provisioningAndUpdatingAppsAreInProgress() {
    var provisioning = StatusBuilder.build(null, 1, 2, outcome(groupWith(1, 2), EMPTY), T0);
    assertThat(provisioning.phase).isEqualTo(Phase.Provisioning);
    assertThat(kstatus(1, provisioning)).isEqualTo(Kstatus.InProgress);

    var updating = StatusBuilder.build(null, 1, 2, outcome(groupWith(2, 2), PENDING), T0);
    assertThat(updating.phase).isIn(Phase.Updating, Phase.Provisioning);
    assertThat(kstatus(1, updating)).isEqualTo(Kstatus.InProgress);
    assertThat(updating.condition(Condition.RECONCILING).orElseThrow().reason)
        .isEqualTo(updating.condition(Condition.PROGRESSING).orElseThrow().reason);
  }

  @Test
  void degradedAppsAreFailedWithTheirReason() {
    var invalid =
        StatusBuilder.build(
            null, 1, 0, Outcome.invalid(List.of("spec.capacity: min (5) > max"), Memory.NONE), T0);
    assertThat(kstatus(1, invalid)).isEqualTo(Kstatus.Failed);
    assertThat(invalid.condition(Condition.STALLED).orElseThrow().reason).isEqualTo("InvalidSpec");

    var refused =
        StatusBuilder.build(
            null,
            1,
            2,
            new io.scalableapp.operator.status.Outcome(
                groupWith(1, 2),
                EMPTY,
                List.of(),
                new CloudException(CloudException.Kind.ACCESS_DENIED, "AccessDenied", "no"),
                false,
                Memory.NONE),
            T0);
    assertThat(refused.phase).isEqualTo(Phase.Degraded);
    assertThat(kstatus(1, refused))
        .as("not InProgress, though short of instances")
        .isEqualTo(Kstatus.Failed);
  }

  @Test
  void aStatusForAnOlderGenerationIsInProgress() {
    var s = StatusBuilder.build(null, 3, 2, outcome(groupWith(2, 2), EMPTY), T0);
    assertThat(kstatus(4, s)).isEqualTo(Kstatus.InProgress);
  }
}
