package io.scalableapp.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaults() {
    var c = OperatorConfig.fromEnv(Map.of());
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.metricsPort()).isEqualTo(8080);
  }

  @Test
  void parsesEveryAcceptedForm() {
    var c =
        OperatorConfig.fromEnv(
            Map.of(
                "WATCH_NAMESPACES", " a, b ,,", "RESYNC_INTERVAL", "90", "METRICS_PORT", "9090"));
    assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.resyncInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.metricsPort()).isEqualTo(9090);
    assertThat(OperatorConfig.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(OperatorConfig.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(OperatorConfig.parseDuration("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(OperatorConfig.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> OperatorConfig.parseDuration("soon"))
        .hasMessageContaining("RESYNC_INTERVAL");
    assertThatThrownBy(() -> OperatorConfig.parseDuration("0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("METRICS_PORT", "70000")))
        .hasMessageContaining("METRICS_PORT");
  }

  @Test
  void leaderElectionNeedsTheLeaseNamespace() {
    assertThat(OperatorConfig.fromEnv(Map.of()).leaderElectionNamespace()).isNull();
    assertThat(
            OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "true", "POD_NAMESPACE", "ops"))
                .leaderElectionNamespace())
        .isEqualTo("ops");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "true")))
        .hasMessageContaining("POD_NAMESPACE");
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("LEADER_ELECTION", "yes")))
        .hasMessageContaining("true or false");
  }

  @Test
  void theAwsApiShareIsHalfByDefaultAndAFractionUpToOne() {
    assertThat(OperatorConfig.fromEnv(Map.of()).awsApiShare()).isEqualTo(0.5);
    assertThat(OperatorConfig.fromEnv(Map.of("AWS_API_SHARE", "0.25")).awsApiShare())
        .isEqualTo(0.25);
    assertThat(OperatorConfig.fromEnv(Map.of("AWS_API_SHARE", "1")).awsApiShare()).isEqualTo(1);
    for (String bad : new String[] {"0", "1.5", "-0.1", "half"}) {
      assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("AWS_API_SHARE", bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("AWS_API_SHARE: ");
    }
  }
}
