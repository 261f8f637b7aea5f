package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppNamesTest {
  @Test
  void sameNameInOtherNamespaceGetsOtherNames() {
    var a = AppNames.of("team-a", "web");
    var b = AppNames.of("team-b", "web");
    assertThat(a.launchTemplate()).isNotEqualTo(b.launchTemplate());
    assertThat(a.targetGroup()).isNotEqualTo(b.targetGroup());
    assertThat(a.autoScalingGroup()).isNotEqualTo(b.autoScalingGroup());
  }

  @Test
  void namesAreDeterministic() {
    assertThat(AppNames.of("ns", "web")).isEqualTo(AppNames.of("ns", "web"));
  }

  @Test
  void joinAmbiguityDoesNotCollide() {
    // "a-b"/"c" and "a"/"b-c" read the same once joined with a dash; the hash tells them apart.
    assertThat(AppNames.of("a-b", "c").launchTemplate())
        .isNotEqualTo(AppNames.of("a", "b-c").launchTemplate());
  }

  @Test
  void longestKubernetesNamesStayWithinAwsLimits() {
    String ns = "n".repeat(63);
    String name = "a.b-" + "x".repeat(249);
    var names = AppNames.of(ns, name);
    assertThat(names.launchTemplate()).hasSizeLessThanOrEqualTo(128).matches("[A-Za-z0-9()./_-]+");
    assertThat(names.autoScalingGroup()).hasSizeLessThanOrEqualTo(255);
    for (String shortName : new String[] {names.targetGroup(), names.loadBalancer()}) {
      assertThat(shortName)
          .hasSizeLessThanOrEqualTo(32)
          .matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    }
    // Two long names that differ only past the cut still differ.
    assertThat(AppNames.of(ns, name + "1").targetGroup())
        .isNotEqualTo(AppNames.of(ns, name + "2").targetGroup());
  }

  @Test
  void shortNamesNeverStartWithAHyphen() {
    assertThat(AppNames.of("ns", "-.-web").targetGroup()).doesNotStartWith("-");
  }
}
