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
            List.of("CreateListener:no listener on port 80")),
        Arguments.of(
            "matches: nothing to do",
            WITH_LB,
            ready(withListeners(listener(80, TG_ARN)), TG_ARN),
            List.of()),
        Arguments.of(
            "forwards elsewhere: pointed back",
            WITH_LB,
            ready(withListeners(listener(80, "arn:other")), TG_ARN),
            List.of("SetListenerTarget:forwards to arn:other")),
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
    assertThat(List.of(create.loadBalancerArn(), create.port(), create.targetGroupArn()))
        .containsExactly(LB_ARN, 80, TG_ARN);
    assertThat(create.tags()).isEqualTo(BASE.tags());
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
