package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.HttpsSpec;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.ListenerConfig;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.OperatorOnMoto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS on moto, end to end: an HTTPS listener with ACM certificates and AWS's recommended policy,
 * HTTP redirected to it, a certificate rotated in place (same listener, no listener created or
 * deleted), HTTPS dropped (HTTP serves again first), and a certificate ACM does not have reported
 * on its field with AWS's message.
 */
class HttpsIT {
  static final String NS = "tls";
  static final Duration WAIT = OperatorOnMoto.WAIT;

  /** A fresh world for each test (JUnit makes a test instance per test). */
  final OperatorOnMoto world = new OperatorOnMoto();

  @AfterEach
  void close() {
    world.close();
  }

  ScalableApp web(String name, List<String> certificates) {
    var app = Apps.web(NS, name, world.subnets);
    app.getSpec().loadBalancer = new LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = world.subnets;
    app.getSpec().loadBalancer.https = new HttpsSpec();
    app.getSpec().loadBalancer.https.certificateArns = certificates;
    app.getSpec().loadBalancer.https.redirectHttp = true;
    return app;
  }

  ScalableApp awaitApp(String name, String what, Predicate<ScalableApp> done) {
    return world.awaitApp(NS, name, what, done);
  }

  static boolean ready(ScalableApp a) {
    return OperatorOnMoto.ready(a);
  }

  /** The app's listeners as AWS holds them, by port. */
  Map<Integer, ObservedLoadBalancer.Listener> listeners(String name) {
    return world
        .counted
        .forRegion(null)
        .loadBalancers()
        .find(AppNames.of(NS, name).loadBalancer())
        .orElseThrow()
        .listeners()
        .stream()
        .collect(Collectors.toMap(ObservedLoadBalancer.Listener::port, l -> l));
  }

  @Test
  void httpsServesWithItsCertificatesHttpRedirectsAndARotationChangesTheListenerInPlace() {
    String a = Moto.certificate("directory.example.com");
    String b = Moto.certificate("directory.example.com");
    String extra = Moto.certificate("people.example.com");
    world.cluster.apply(web("web", List.of(a)));

    var app = awaitApp("web", "Ready", HttpsIT::ready);
    String tg = app.getStatus().targetGroup.arn;
    awaitApp("web", "HTTP redirected", x -> listeners("web").get(80).redirectPort() != null);
    var before = listeners("web");
    assertThat(before.get(443).config())
        .isEqualTo(ListenerConfig.https(443, tg, List.of(a), HttpsSpec.DEFAULT_SSL_POLICY));
    assertThat(before.get(80).config()).isEqualTo(ListenerConfig.redirect(80, 443));

    // The certificate renewed under a new ARN, and a second domain served by SNI.
    world.counted.resetCounts();
    world.cluster.edit(
        NS, "web", x -> x.getSpec().loadBalancer.https.certificateArns = List.of(b, extra));

    awaitApp(
        "web",
        "the new certificates on the listener",
        x -> ready(x) && listeners("web").get(443).certificateArns().equals(List.of(b, extra)));
    var after = listeners("web");
    assertThat(after.get(443).arn()).as("the same listener").isEqualTo(before.get(443).arn());
    assertThat(after.get(80).arn()).isEqualTo(before.get(80).arn());
    assertThat(world.counted.calls("LoadBalancers.createListener")).isZero();
    assertThat(world.counted.calls("LoadBalancers.deleteListener")).isZero();

    // HTTPS dropped: HTTP forwards again, then the HTTPS listener goes.
    world.cluster.edit(NS, "web", x -> x.getSpec().loadBalancer.https = null);
    awaitApp("web", "HTTP only", x -> ready(x) && listeners("web").keySet().equals(Set.of(80)));
    assertThat(listeners("web").get(80).config()).isEqualTo(ListenerConfig.forward(80, tg));
    assertThat(listeners("web").get(80).arn()).isEqualTo(before.get(80).arn());
  }

  @Test
  void aCertificateAcmDoesNotHaveIsDegradedOnItsField() {
    world.cluster.apply(
        web(
            "nocert",
            List.of("arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-0")));

    var app =
        awaitApp(
            "nocert",
            "Degraded",
            x ->
                x.getStatus().phase == Phase.Degraded
                    && x.getStatus().condition(Condition.DEGRADED).isPresent());
    assertThat(app.getStatus().condition(Condition.DEGRADED).orElseThrow().message)
        .startsWith("spec.loadBalancer.https.certificateArns: ")
        .contains("CreateListener");
  }
}
