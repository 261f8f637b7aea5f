package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.LB_ARN;
import static io.scalableapp.operator.plan.PlanFixtures.OURS;
import static io.scalableapp.operator.plan.PlanFixtures.PUBLIC;
import static io.scalableapp.operator.plan.PlanFixtures.TG_ARN;
import static io.scalableapp.operator.plan.PlanFixtures.WITH_LB;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.listener;
import static io.scalableapp.operator.plan.PlanFixtures.loadBalancer;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.HttpsSpec;
import io.scalableapp.operator.cloud.ListenerConfig;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (load balancer and target group results, observed listeners) -> actions. */
class ListenerPlannerTest {
  static final ListenerPlanner PLANNER = new ListenerPlanner();

  static ObservedLoadBalancer withListeners(ObservedLoadBalancer.Listener... listeners) {
    return loadBalancer("internet-facing", PUBLIC, List.of(listeners), OURS);
  }

  static Map<Class<? extends PartialPlanner<?>>, Optional<?>> ready(
      ObservedLoadBalancer lb, String targetGroup) {
    return Map.of(
        LoadBalancerPlanner.class,
        Optional.ofNullable(lb),
        TargetGroupPlanner.class,
        Optional.ofNullable(targetGroup).map(TargetGroupPlanner.Serving::only));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("load balancer not ready yet: wait", WITH_LB, ready(null, TG_ARN), List.of()),
        Arguments.of(
            "target group not ready yet: wait", WITH_LB, ready(withListeners(), null), List.of()),
        Arguments.of(
            "no listener: create it on the spec's port",
            WITH_LB,
            ready(withListeners(), TG_ARN),
            List.of("CreateListener:no HTTP listener on port 80")),
        Arguments.of(
            "matches: nothing to do",
            WITH_LB,
            ready(withListeners(listener(80, TG_ARN)), TG_ARN),
            List.of()),
        Arguments.of(
            "forwards elsewhere: pointed back",
            WITH_LB,
            ready(withListeners(listener(80, "arn:other")), TG_ARN),
            List.of("ModifyListener:forward to arn:other -> forward to " + TG_ARN)),
        Arguments.of(
            "its tags drifted: retagged",
            WITH_LB,
            ready(
                withListeners(
                    new ObservedLoadBalancer.Listener(
                        "arn:listener/80", 80, "HTTP", TG_ARN, Map.of(Tags.OWNER, "hr/directory"))),
                TG_ARN),
            List.of("RetagLoadBalancer:listener on port 80: tags")),
        Arguments.of(
            "a listener on another port: removed",
            WITH_LB,
            ready(withListeners(listener(80, TG_ARN), listener(8080, TG_ARN)), TG_ARN),
            List.of("DeleteListener:port 8080 is not in the spec")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      Map<Class<? extends PartialPlanner<?>>, Optional<?>> ready,
      List<String> expected) {
    // The planner reads the load balancer from its dependency's result, not from observation.
    var run = PlanFixtures.run(PLANNER, desired, converged(), Memory.NONE, ready);

    run.assertActions(expected);
  }

  @Test
  void createsTheListenerTaggedOnTheLoadBalancerForwardingToTheTargetGroup() {
    var run =
        PlanFixtures.run(
            PLANNER,
            WITH_LB,
            converged().withLoadBalancer(withListeners()),
            Memory.NONE,
            ready(withListeners(), TG_ARN));
    var create = (ListenerPlanner.CreateListener) run.context().actions().get(0);
    assertThat(create.loadBalancerArn()).isEqualTo(LB_ARN);
    assertThat(create.config()).isEqualTo(ListenerConfig.forward(80, TG_ARN));
    assertThat(create.tags()).isEqualTo(BASE.tags());
  }

  // --- HTTPS -------------------------------------------------------------------------------------

  static final String CERT_A = "arn:aws:acm:us-west-2:123456789012:certificate/aaaa-1111";
  static final String CERT_B = "arn:aws:acm:us-west-2:123456789012:certificate/bbbb-2222";
  static final String CERT_C = "arn:aws:acm:us-west-2:123456789012:certificate/cccc-3333";
  static final String POLICY = HttpsSpec.DEFAULT_SSL_POLICY;

  static DesiredApp https(boolean redirect, String... certificates) {
    return PlanFixtures.desired(
        a -> {
          a.getSpec().loadBalancer = new io.scalableapp.operator.api.LoadBalancerSpec();
          a.getSpec().loadBalancer.subnetIds = PUBLIC;
          a.getSpec().loadBalancer.https = new HttpsSpec();
          a.getSpec().loadBalancer.https.certificateArns = List.of(certificates);
          a.getSpec().loadBalancer.https.redirectHttp = redirect;
        });
  }

  static ObservedLoadBalancer.Listener observed(ListenerConfig config) {
    return ObservedLoadBalancer.Listener.of("arn:listener/" + config.port(), config, OURS);
  }

  static PlanFixtures.Run plan(DesiredApp d, ObservedLoadBalancer.Listener... listeners) {
    var lb = withListeners(listeners);
    return PlanFixtures.run(
        PLANNER, d, converged().withLoadBalancer(lb), Memory.NONE, ready(lb, TG_ARN));
  }

  @Test
  void httpsIsCreatedFirstAndHttpRedirectsOnlyOnceItServes() {
    var first = plan(https(true, CERT_A), listener(80, TG_ARN));
    var create = (ListenerPlanner.CreateListener) first.context().actions().get(0);
    assertThat(create.config())
        .isEqualTo(ListenerConfig.https(443, TG_ARN, List.of(CERT_A), POLICY));
    assertThat(first.context().actions()).hasSize(1);

    var then =
        plan(
            https(true, CERT_A),
            listener(80, TG_ARN),
            observed(ListenerConfig.https(443, TG_ARN, List.of(CERT_A), POLICY)));
    var modify = (ListenerPlanner.ModifyListener) then.context().actions().get(0);
    assertThat(modify.listenerArn()).isEqualTo("arn:listener/80");
    assertThat(modify.config()).isEqualTo(ListenerConfig.redirect(80, 443));
    assertThat(modify.reason()).contains("redirect to HTTPS:443");

    var done =
        plan(
            https(true, CERT_A),
            observed(ListenerConfig.redirect(80, 443)),
            observed(ListenerConfig.https(443, TG_ARN, List.of(CERT_A), POLICY)));
    assertThat(done.context().actions()).isEmpty();
    assertThat(done.context().removals()).isEmpty();
  }

  @Test
  void aRotatedCertificateChangesTheListenerInPlace() {
    var run =
        plan(
            https(false, CERT_B),
            listener(80, TG_ARN),
            observed(ListenerConfig.https(443, TG_ARN, List.of(CERT_A), POLICY)));

    run.assertActions(List.of("ModifyListener:certificate " + CERT_A + " -> " + CERT_B));
    var modify = (ListenerPlanner.ModifyListener) run.context().actions().get(0);
    assertThat(modify.listenerArn()).isEqualTo("arn:listener/443");
    assertThat(run.context().removals()).isEmpty();
  }

  @Test
  void certificatesBesidesTheDefaultAreAddedAndRemoved() {
    var run =
        plan(
            https(false, CERT_A, CERT_C),
            listener(80, TG_ARN),
            observed(ListenerConfig.https(443, TG_ARN, List.of(CERT_A, CERT_B), POLICY)));

    var set = (ListenerPlanner.SetListenerCertificates) run.context().actions().get(0);
    assertThat(set.add()).containsExactly(CERT_C);
    assertThat(set.remove()).containsExactly(CERT_B);
    assertThat(run.context().actions()).hasSize(1);
  }

  @Test
  void anOlderSslPolicyIsChangedInPlace() {
    var run =
        plan(
            https(false, CERT_A),
            listener(80, TG_ARN),
            observed(
                ListenerConfig.https(443, TG_ARN, List.of(CERT_A), "ELBSecurityPolicy-2016-08")));

    run.assertActions(List.of("ModifyListener:SSL policy ELBSecurityPolicy-2016-08 -> " + POLICY));
  }

  @Test
  void droppingHttpsServesHttpAgainBeforeTheHttpsListenerGoes() {
    var run =
        plan(
            WITH_LB,
            observed(ListenerConfig.redirect(80, 443)),
            observed(ListenerConfig.https(443, TG_ARN, List.of(CERT_A), POLICY)));

    var modify = (ListenerPlanner.ModifyListener) run.context().actions().get(0);
    assertThat(modify.config()).isEqualTo(ListenerConfig.forward(80, TG_ARN));
    assertThat(PlanFixtures.kinds(run.context().removals())).containsExactly("DeleteListener");
  }

  @Test
  void droppingTheLoadBalancerRemovesEveryListener() {
    var observed =
        converged().withLoadBalancer(withListeners(listener(80, TG_ARN), listener(81, TG_ARN)));
    var run = PlanFixtures.run(PLANNER, BASE, observed, Memory.NONE, ready(null, TG_ARN));
    assertThat(run.context().actions()).isEmpty();
    assertThat(PlanFixtures.kinds(run.context().removals()))
        .containsExactly("DeleteListener", "DeleteListener");
  }

  @Test
  void deletionRemovesTheListenersOfTheAppsLoadBalancerOnly() {
    var ours = converged().withLoadBalancer(withListeners(listener(80, TG_ARN)));
    assertThat(PlanFixtures.kinds(PlanFixtures.delete(PLANNER, ours, true).removals()))
        .containsExactly("DeleteListener");
    var foreign =
        ObservedApp.builder()
            .loadBalancer(
                loadBalancer(
                    "internet-facing", PUBLIC, List.of(listener(80, TG_ARN)), PlanFixtures.FOREIGN))
            .build();
    assertThat(PlanFixtures.delete(PLANNER, foreign, true).removals()).isEmpty();
  }
}
