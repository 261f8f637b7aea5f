package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.FOREIGN;
import static io.scalableapp.operator.plan.PlanFixtures.OURS;
import static io.scalableapp.operator.plan.PlanFixtures.PUBLIC;
import static io.scalableapp.operator.plan.PlanFixtures.WITH_LB;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.loadBalancer;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.Tags;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (spec, observed load balancer) -> actions, blocked changes, readiness. */
class LoadBalancerPlannerTest {
  static final LoadBalancerPlanner PLANNER = new LoadBalancerPlanner();
  static final ObservedLoadBalancer MATCHING =
      loadBalancer("internet-facing", PUBLIC, List.of(), OURS);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "none yet: create it", WITH_LB, null, List.of("CreateLoadBalancer"), null, false),
        Arguments.of("matches: ready", WITH_LB, MATCHING, List.of(), null, true),
        Arguments.of(
            "a tag added by hand: removed",
            WITH_LB,
            loadBalancer(
                "internet-facing", PUBLIC, List.of(), PlanFixtures.withOurs(Map.of("x", "y"))),
            List.of("RetagLoadBalancer"),
            null,
            true),
        Arguments.of(
            "subnets drifted in AWS: set back",
            WITH_LB,
            loadBalancer(
                "internet-facing", List.of(PUBLIC.get(0), "subnet-000000pc"), List.of(), OURS),
            List.of("SetLoadBalancerSubnets"),
            null,
            true),
        Arguments.of(
            "scheme differs: blocked, the rest still kept",
            WITH_LB,
            loadBalancer("internal", PUBLIC, List.of(), OURS),
            List.of(),
            "scheme cannot change in place",
            true),
        Arguments.of(
            "spec dropped it: removed", BASE, MATCHING, List.of("DeleteLoadBalancer"), null, false),
        Arguments.of("none wanted, none there", BASE, null, List.of(), null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      ObservedLoadBalancer observed,
      List<String> expected,
      String blocked,
      boolean ready) {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired,
            converged().toBuilder().loadBalancer(observed).build(),
            Memory.NONE,
            Map.of());

    assertThat(run.kinds()).containsExactlyElementsOf(expected);
    assertThat(run.context().blocked())
        .satisfiesAnyOf(
            b -> assertThat(blocked).isNull(),
            b -> assertThat(b).singleElement().asString().contains(blocked));
    assertThat(run.result().isPresent()).isEqualTo(ready);
  }

  @Test
  void createsTheSpecsLoadBalancerUnderTheAppsShortName() {
    var run = PlanFixtures.run(PLANNER, WITH_LB, converged(), Memory.NONE, Map.of());
    var create = (LoadBalancerPlanner.CreateLoadBalancer) run.context().actions().get(0);

    assertThat(create.config())
        .isEqualTo(
            new LoadBalancerConfig(
                BASE.names().loadBalancer(), "internet-facing", PUBLIC, List.of("sg-0000000c")));
    assertThat(create.config().name()).hasSizeLessThanOrEqualTo(32);
    assertThat(create.tags()).containsEntry(Tags.OWNER, "hr/directory");
  }

  @Test
  void aForeignLoadBalancerIsAConflictAndIsNeverDeleted() {
    var foreign =
        converged().withLoadBalancer(loadBalancer("internet-facing", PUBLIC, List.of(), FOREIGN));
    var run = PlanFixtures.run(PLANNER, WITH_LB, foreign, Memory.NONE, Map.of());
    assertThat(run.all()).isEmpty();
    assertThat(run.context().conflicts())
        .singleElement()
        .asString()
        .contains("load balancer")
        .contains("payroll/directory");

    assertThat(PlanFixtures.delete(PLANNER, foreign, true).removals()).isEmpty();
    assertThat(
            PlanFixtures.kinds(
                PlanFixtures.delete(PLANNER, converged().withLoadBalancer(MATCHING), true)
                    .removals()))
        .containsExactly("DeleteLoadBalancer");
  }
}
