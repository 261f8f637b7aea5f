package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.FOREIGN;
import static io.scalableapp.operator.plan.PlanFixtures.OURS;
import static io.scalableapp.operator.plan.PlanFixtures.SUBNETS;
import static io.scalableapp.operator.plan.PlanFixtures.TG_ARN;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.healthCheck;
import static io.scalableapp.operator.plan.PlanFixtures.targetGroup;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.TargetGroupPlanner.Serving;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (spec change, observed AWS) -> actions, blocked changes, and the ARNs to attach. */
class TargetGroupPlannerTest {
  static final TargetGroupPlanner PLANNER = new TargetGroupPlanner();
  static final HealthCheckConfig DRIFTED = new HealthCheckConfig("/drift", 30, 5, 3, 2, "200");

  /** The app's target group after someone turned slow start on in AWS. */
  static final ObservedTargetGroup SLOW_STARTED =
      new ObservedTargetGroup(
          TG_ARN,
          targetGroup(healthCheck(BASE), OURS).config(),
          OURS,
          2,
          Map.of(
              "deregistration_delay.timeout_seconds", "300", "slow_start.duration_seconds", "90"));

  static final String NEXT_ARN =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/y/2";
  static final Consumer<ScalableApp> PORT_8080 = a -> a.getSpec().targetGroup.port = 8080;

  /**
   * The app moving from port 80 to 8080: its target group and the replacement on 8080 with {@code
   * healthy} targets, the group attaching {@code attached}, and the listener forwarding to the old
   * one or to none.
   */
  static ObservedApp replacing(int healthy, List<String> attached, boolean oldForwarded) {
    var next =
        new ObservedTargetGroup(
            NEXT_ARN,
            TargetGroupPlanner.desired(
                desired(PORT_8080).spec().targetGroup,
                BASE.names().replacementTargetGroup(),
                "vpc-1"),
            OURS,
            healthy,
            PlanFixtures.AWS_TARGET_GROUP_ATTRIBUTES);
    var g = PlanFixtures.group(2, 4, 2, 1);
    return converged()
        .withReplacementTargetGroup(next)
        .withGroup(PlanFixtures.copy(g, SUBNETS, attached, g.healthCheckType(), OURS, false))
        .withLoadBalancer(
            PlanFixtures.loadBalancer(
                "internet-facing",
                PlanFixtures.PUBLIC,
                oldForwarded ? List.of(PlanFixtures.listener(80, TG_ARN)) : List.of(),
                OURS));
  }

  static Arguments row(
      String name,
      Consumer<ScalableApp> spec,
      ObservedApp observed,
      List<String> actions,
      String blocked,
      Optional<TargetGroupPlanner.Serving> ready) {
    return Arguments.of(name, desired(spec), observed, actions, blocked, ready);
  }

  static Stream<Arguments> cases() {
    Consumer<ScalableApp> same = a -> {};
    ObservedApp none = converged().toBuilder().targetGroup(null).build();
    return Stream.of(
        row(
            "none yet: create it",
            same,
            none,
            List.of("CreateTargetGroup"),
            null,
            Optional.empty()),
        row(
            "matches: attach it",
            same,
            converged(),
            List.of(),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "no target group in the spec: nothing to attach",
            a -> {
              a.getSpec().targetGroup = null;
              a.getSpec().loadBalancer = null;
            },
            none,
            List.of(),
            null,
            Optional.of(Serving.NONE)),
        row(
            "health check drifted in AWS: modified in place",
            same,
            converged().withTargetGroup(targetGroup(DRIFTED, OURS)),
            List.of("ModifyTargetGroupHealthCheck"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "deregistration delay and slow start set: modified in place",
            a -> {
              a.getSpec().targetGroup.deregistrationDelaySeconds = 30;
              a.getSpec().targetGroup.slowStartSeconds = 60;
            },
            converged(),
            List.of("ModifyTargetGroupAttributes"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "unset attributes at AWS's defaults: nothing",
            a -> {
              a.getSpec().targetGroup.deregistrationDelaySeconds = null;
              a.getSpec().targetGroup.slowStartSeconds = null;
            },
            converged(),
            List.of(),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "slow start turned on in AWS, unset in the spec: turned off again",
            same,
            converged().withTargetGroup(SLOW_STARTED),
            List.of("ModifyTargetGroupAttributes"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "spec tags changed: retagged",
            a -> a.getSpec().tags = Map.of("team", "ops", "cost", "42"),
            converged(),
            List.of("RetagTargetGroup"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "port changed: a new target group under the other name, the old one serves",
            PORT_8080,
            converged(),
            List.of("CreateTargetGroup"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "replacement made: both attached, the old one serves",
            PORT_8080,
            replacing(0, List.of(TG_ARN), false),
            List.of(),
            null,
            Optional.of(new Serving(List.of(TG_ARN, NEXT_ARN), Optional.of(TG_ARN)))),
        row(
            "replacement attached, 1 of 2 targets healthy: the old one still serves",
            PORT_8080,
            replacing(1, List.of(TG_ARN, NEXT_ARN), true),
            List.of(),
            null,
            Optional.of(new Serving(List.of(TG_ARN, NEXT_ARN), Optional.of(TG_ARN)))),
        row(
            "replacement as healthy as the old: it serves, the old one is let go but kept",
            PORT_8080,
            replacing(2, List.of(TG_ARN, NEXT_ARN), true),
            List.of(),
            null,
            Optional.of(Serving.only(NEXT_ARN))),
        row(
            "old one still forwarded to by a listener: kept",
            PORT_8080,
            replacing(2, List.of(NEXT_ARN), true),
            List.of(),
            null,
            Optional.of(Serving.only(NEXT_ARN))),
        row(
            "old one neither attached nor forwarded to: deleted",
            PORT_8080,
            replacing(2, List.of(NEXT_ARN), false),
            List.of("DeleteTargetGroup"),
            null,
            Optional.of(Serving.only(NEXT_ARN))),
        row(
            "port set back during a replacement: the old one serves, the new one is let go",
            a -> {},
            replacing(0, List.of(TG_ARN, NEXT_ARN), true),
            List.of(),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "port set back, the new one let go: it is deleted",
            a -> {},
            replacing(0, List.of(TG_ARN), true),
            List.of("DeleteTargetGroup"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "a third port during a replacement, both names taken: the unused one goes first",
            a -> a.getSpec().targetGroup.port = 9090,
            replacing(0, List.of(TG_ARN), true),
            List.of("DeleteTargetGroup"),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "a third port, both in use: the one forwarded to serves alone, the other is let go",
            a -> a.getSpec().targetGroup.port = 9090,
            replacing(2, List.of(TG_ARN, NEXT_ARN), true),
            List.of(),
            null,
            Optional.of(Serving.only(TG_ARN))),
        row(
            "subnets in two VPCs: blocked",
            same,
            none.toBuilder()
                .subnets(
                    List.of(
                        new Subnet(SUBNETS.get(0), "vpc-1", "us-east-1a"),
                        new Subnet(SUBNETS.get(1), "vpc-2", "us-east-1b")))
                .build(),
            List.of(),
            "more than one VPC",
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      ObservedApp observed,
      List<String> expected,
      String blocked,
      Optional<TargetGroupPlanner.Serving> ready) {
    var run = PlanFixtures.run(PLANNER, desired, observed, Memory.NONE, Map.of());

    assertThat(run.kinds()).containsExactlyElementsOf(expected);
    if (blocked == null) {
      assertThat(run.context().blocked()).isEmpty();
    } else {
      assertThat(run.context().blocked()).singleElement().asString().contains(blocked);
    }
    assertThat(run.result()).isEqualTo(ready);
  }

  @Test
  void createsInTheSubnetsVpcWithAwsDefaultsFilledIn() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().targetGroup.healthCheck = null),
            converged().toBuilder().targetGroup(null).build(),
            Memory.NONE,
            Map.of());
    var create = (TargetGroupPlanner.CreateTargetGroup) run.context().actions().get(0);

    assertThat(create.config())
        .isEqualTo(
            new TargetGroupConfig(
                BASE.names().targetGroup(),
                "HTTP",
                80,
                "vpc-1",
                new HealthCheckConfig("/", 30, 5, 5, 2, "200")));
    assertThat(create.tags()).isEqualTo(BASE.tags());
  }

  @Test
  void driftIsCorrectedToTheSpecsHealthCheck() {
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged().withTargetGroup(targetGroup(DRIFTED, OURS)),
            Memory.NONE,
            Map.of());
    var modify = (TargetGroupPlanner.ModifyTargetGroupHealthCheck) run.context().actions().get(0);
    assertThat(modify.healthCheck()).isEqualTo(healthCheck(BASE));
    assertThat(modify.arn()).isEqualTo(TG_ARN);
  }

  @Test
  void onlyTheAttributesThatDifferAreSentWithAwsKeysAndTheReasonSaysWhat() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(a -> a.getSpec().targetGroup.deregistrationDelaySeconds = 30),
            converged().withTargetGroup(SLOW_STARTED),
            Memory.NONE,
            Map.of());
    var modify = (TargetGroupPlanner.ModifyTargetGroupAttributes) run.context().actions().get(0);

    assertThat(modify.arn()).isEqualTo(TG_ARN);
    assertThat(modify.attributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "deregistration_delay.timeout_seconds", "30",
                "slow_start.duration_seconds", "0"));
    assertThat(modify.reason())
        .contains("deregistration_delay.timeout_seconds 300 -> 30")
        .contains("slow_start.duration_seconds 90 -> 0");
  }

  @Test
  void attributesAwsRefusesAreInvalidSpecs() {
    assertThat(
            SpecValidator.validate(
                desired(
                        a -> {
                          a.getSpec().targetGroup.deregistrationDelaySeconds = 3601;
                          a.getSpec().targetGroup.slowStartSeconds = 10;
                        })
                    .spec()))
        .containsExactlyInAnyOrder(
            "spec.targetGroup.deregistrationDelaySeconds: 3601 is outside [0, 3600]",
            "spec.targetGroup.slowStartSeconds: 10 must be 0 (off) or 30 to 900");
    assertThat(
            SpecValidator.validate(
                desired(
                        a -> {
                          a.getSpec().targetGroup.deregistrationDelaySeconds = 0;
                          a.getSpec().targetGroup.slowStartSeconds = 0;
                        })
                    .spec()))
        .isEmpty();
  }

  @Test
  void aForeignTargetGroupIsAConflictEvenWhenTheSpecHasNone() {
    var observed = converged().withTargetGroup(targetGroup(healthCheck(BASE), FOREIGN));
    for (var d : List.of(BASE, desired(a -> a.getSpec().targetGroup = null))) {
      var run = PlanFixtures.run(PLANNER, d, observed, Memory.NONE, Map.of());
      assertThat(run.all()).isEmpty();
      assertThat(run.result()).isEmpty();
      assertThat(run.context().conflicts()).singleElement().asString().contains("payroll");
    }
  }

  @Test
  void aReplacementIsCreatedUnderTheOtherNameAndTheReasonSaysWhy() {
    var run = PlanFixtures.run(PLANNER, desired(PORT_8080), converged(), Memory.NONE, Map.of());
    var create = (TargetGroupPlanner.CreateTargetGroup) run.context().actions().get(0);

    assertThat(create.config().name()).isEqualTo(BASE.names().replacementTargetGroup());
    assertThat(create.config().name()).isNotEqualTo(BASE.names().targetGroup());
    assertThat(create.config().port()).isEqualTo(8080);
    assertThat(create.tags()).isEqualTo(BASE.tags());
    assertThat(create.reason()).contains("HTTP:80 in vpc-1").contains("without downtime");
  }

  @Test
  void aTakeOverInProgressSaysHowFarItIs() {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired(PORT_8080),
            replacing(1, List.of(TG_ARN, NEXT_ARN), true),
            Memory.NONE,
            Map.of());
    assertThat(run.context().waitingFor())
        .singleElement()
        .asString()
        .contains("1 of 2 targets healthy");
  }

  @Test
  void deletionRemovesBothTargetGroupsDuringAReplacement() {
    var run = PlanFixtures.delete(PLANNER, replacing(1, List.of(TG_ARN, NEXT_ARN), true), true);
    assertThat(run.removals())
        .extracting(a -> ((TargetGroupPlanner.DeleteTargetGroup) a).arn())
        .containsExactlyInAnyOrder(TG_ARN, NEXT_ARN);
  }

  @Test
  void deletionRemovesOnlyTheAppsOwnTargetGroup() {
    assertThat(PlanFixtures.kinds(PlanFixtures.delete(PLANNER, converged(), true).removals()))
        .containsExactly("DeleteTargetGroup");
    var foreign = converged().withTargetGroup(targetGroup(healthCheck(BASE), FOREIGN));
    assertThat(PlanFixtures.delete(PLANNER, foreign, true).removals()).isEmpty();
  }
}
