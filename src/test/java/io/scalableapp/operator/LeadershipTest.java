package io.scalableapp.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadershipTest {
  @Test
  void standbyOnlyWhileElectedAndNotLeading() {
    var leadership = new Leadership();
    assertThat(leadership.standby()).as("no leader election: never standby").isFalse();

    var callbacks = leadership.callbacks();
    assertThat(leadership.standby()).as("elected, not leading yet").isTrue();
    callbacks.onNewLeader("pod-b");
    assertThat(leadership.leader()).isEqualTo("pod-b");

    callbacks.onStartLeading();
    assertThat(leadership.standby()).isFalse();
    callbacks.onStopLeading();
    assertThat(leadership.standby()).isTrue();
  }
}
