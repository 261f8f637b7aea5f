package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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
    for (String shortName :
        new String[] {names.targetGroup(), names.replacementTargetGroup(), names.loadBalancer()}) {
      assertThat(shortName)
          .hasSizeLessThanOrEqualTo(32)
          .matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    }
    // Two long names that differ only past the cut still differ.
    assertThat(AppNames.of(ns, name + "1").targetGroup())
        .isNotEqualTo(AppNames.of(ns, name + "2").targetGroup());
  }

  /**
   * AWS's documented rules for each name. Launch template: 3 to 128 of [a-zA-Z0-9().-/_]. Auto
   * Scaling group: 1 to 255 printable characters. Target group and load balancer: 1 to 32
   * alphanumerics and hyphens, not beginning or ending with a hyphen; a load balancer's name must
   * not begin with "internal-".
   */
  static void assertAwsAccepts(AppNames names, String namespace, String name) {
    String which = namespace + "/" + name;
    assertThat(names.launchTemplate())
        .as(which)
        .hasSizeBetween(3, 128)
        .matches("[a-zA-Z0-9().\\-/_]+");
    assertThat(names.autoScalingGroup()).as(which).hasSizeBetween(1, 255).matches("[\\x21-\\x7e]+");
    for (String elbName :
        List.of(names.targetGroup(), names.replacementTargetGroup(), names.loadBalancer())) {
      assertThat(elbName)
          .as(which)
          .hasSizeBetween(1, 32)
          .matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    }
    assertThat(names.loadBalancer().toLowerCase(Locale.ROOT))
        .as(which)
        .doesNotStartWith("internal-");
    assertThat(names.replacementTargetGroup()).as(which).isNotEqualTo(names.targetGroup());
  }

  /** A valid Kubernetes name: a DNS-1123 subdomain (253) or, for namespaces, label (63). */
  static String kubernetesName(Random random, boolean label) {
    int max = label ? 63 : 253;
    int length =
        1 + (random.nextInt(4) == 0 ? random.nextInt(max) : random.nextInt(Math.min(max, 40)));
    String inner =
        label ? "abcdefghijklmnopqrstuvwxyz0123456789-" : "abcdefghijklmnopqrstuvwxyz0123456789-.";
    String edge = "abcdefghijklmnopqrstuvwxyz0123456789";
    var out = new StringBuilder();
    // Often start with a prefix AWS or Kubernetes users are likely to use.
    String[] prefixes = {"internal-", "internal", "-", "sapp-", "a--", "x.", ""};
    String prefix = random.nextInt(3) == 0 ? prefixes[random.nextInt(prefixes.length)] : "";
    if (prefix.startsWith("-") || (label && prefix.contains("."))) {
      prefix = "";
    }
    out.append(prefix.isEmpty() ? edge.charAt(random.nextInt(edge.length())) : prefix);
    while (out.length() < length - 1) {
      out.append(inner.charAt(random.nextInt(inner.length())));
    }
    if (out.length() < length || !Character.isLetterOrDigit(out.charAt(out.length() - 1))) {
      out.append(edge.charAt(random.nextInt(edge.length())));
    }
    String s = out.length() > max ? out.substring(0, max - 1) + "z" : out.toString();
    // A subdomain's dot-separated parts each start and end with an alphanumeric.
    return label ? s : s.replaceAll("\\.(?=[-.])", "a").replaceAll("(?<=[-.])\\.", "b");
  }

  @Test
  void everyValidKubernetesNameGetsNamesAwsAccepts() {
    var random = new Random(20261129);
    var seen = new HashSet<String>();
    for (int i = 0; i < 20_000; i++) {
      String namespace = kubernetesName(random, true);
      String name = kubernetesName(random, false);
      var names = AppNames.of(namespace, name);
      assertAwsAccepts(names, namespace, name);
      if (seen.add(namespace + "/" + name)) {
        assertThat(names.loadBalancer()).isNotNull();
      }
    }
    assertThat(seen).hasSizeGreaterThan(19_000);
  }

  @Test
  void anAppCalledInternalSomethingGetsALoadBalancerNameAwsAccepts() {
    for (String name :
        List.of("internal-web", "internal", "INTERNAL-x".toLowerCase(), "internal-")) {
      var names = AppNames.of("shop", name.endsWith("-") ? name + "a" : name);
      assertAwsAccepts(names, "shop", name);
    }
    assertThat(AppNames.of("shop", "internal-web").loadBalancer()).startsWith("sapp-internal-web-");
    assertThat(AppNames.of("shop", "internal-web").targetGroup())
        .as("target groups may begin with internal-, and keep the names they were created under")
        .startsWith("internal-web-");
    assertThat(AppNames.of("shop", "web").loadBalancer())
        .isEqualTo(AppNames.of("shop", "web").targetGroup());
  }

  @Test
  void shortNamesNeverStartWithAHyphen() {
    assertThat(AppNames.of("ns", "-.-web").targetGroup()).doesNotStartWith("-");
  }
}
