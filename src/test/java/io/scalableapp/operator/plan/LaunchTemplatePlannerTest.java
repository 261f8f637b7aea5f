package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.FOREIGN;
import static io.scalableapp.operator.plan.PlanFixtures.LT_ID;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.RootVolume;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table: (spec change, observed template) -> actions, and the version dependents get. */
class LaunchTemplatePlannerTest {
  static final LaunchTemplatePlanner PLANNER = new LaunchTemplatePlanner();

  static Arguments row(
      String name,
      Consumer<ScalableApp> spec,
      ObservedLaunchTemplate observed,
      List<String> actions,
      Long readyVersion) {
    return Arguments.of(name, desired(spec), observed, actions, readyVersion);
  }

  static Stream<Arguments> cases() {
    Consumer<ScalableApp> same = a -> {};
    return Stream.of(
        row(
            "none yet: create it",
            same,
            null,
            List.of("CreateLaunchTemplate:does not exist"),
            null),
        row(
            "latest version holds the spec: ready",
            same,
            template(1, 1, "t3.micro"),
            List.of(),
            1L),
        row(
            "ready on the latest version, whatever the default",
            same,
            template(7, 3, "t3.micro"),
            List.of(),
            7L),
        row(
            "instance type changed: a new version",
            a -> a.getSpec().instanceType = "t3.small",
            template(1, 1, "t3.micro"),
            List.of("CreateLaunchTemplateVersion:instanceType t3.micro -> t3.small"),
            null),
        row(
            "user data changed: a new version",
            a -> a.getSpec().userData = "#!/bin/bash\necho bye\n",
            template(1, 1, "t3.micro"),
            List.of("CreateLaunchTemplateVersion:userData changed"),
            null),
        row(
            "environment changed: a new version (it is part of the user data)",
            a -> a.getSpec().environment = Map.of("PHOTOS_BUCKET", "other"),
            template(1, 1, "t3.micro"),
            List.of("CreateLaunchTemplateVersion:userData changed"),
            null),
        row(
            "spec tags changed: the template retagged, a new version tags what it launches",
            a -> a.getSpec().tags = Map.of("team", "ops"),
            template(1, 1, "t3.micro"),
            List.of(
                "RetagLaunchTemplate:tags team=ops",
                "CreateLaunchTemplateVersion:tags of instances and volumes changed"),
            null),
        row(
            "root volume added: a new version",
            a -> a.getSpec().rootVolume = new RootVolume(40, "gp3"),
            template(1, 1, "t3.micro"),
            List.of("CreateLaunchTemplateVersion:rootVolume null -> Volume[deviceName=/dev/xvda"),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      DesiredApp desired,
      ObservedLaunchTemplate observed,
      List<String> expected,
      Long readyVersion) {
    var run =
        PlanFixtures.run(
            PLANNER,
            desired,
            ObservedApp.builder().launchTemplate(observed).build(),
            Memory.NONE,
            Map.of());

    assertThat(run.context().conflicts()).isEmpty();
    run.assertActions(expected);
    assertThat(run.result())
        .isEqualTo(
            Optional.ofNullable(readyVersion)
                .map(v -> new LaunchTemplatePlanner.Version(LT_ID, v)));
  }

  @Test
  void createsWithTheOwnershipTagsAndTheSpecsData() {
    var run = PlanFixtures.run(PLANNER, BASE, ObservedApp.nothing(), Memory.NONE, Map.of());
    var create = (LaunchTemplatePlanner.CreateLaunchTemplate) run.context().actions().get(0);

    assertThat(create.name()).isEqualTo(BASE.names().launchTemplate());
    assertThat(create.data())
        .isEqualTo(LaunchTemplatePlanner.desired(BASE.spec()).withTags(BASE.tags()));
    assertThat(create.data().instanceTags())
        .as("instances and volumes are tagged at launch")
        .containsEntry(Tags.OWNER, "hr/directory")
        .containsEntry("team", "hr")
        .isEqualTo(create.data().volumeTags());
    assertThat(create.tags())
        .containsEntry(Tags.OWNER, "hr/directory")
        .containsEntry(Tags.MANAGED_BY, Tags.MANAGER)
        .containsEntry("team", "hr");
  }

  @Test
  void aTemplateUnderTheAppsNameOwnedByNobodyOrSomeoneElseIsAConflict() {
    for (Map<String, String> tags : List.of(Map.<String, String>of(), FOREIGN)) {
      var foreign =
          new ObservedLaunchTemplate(
              LT_ID,
              BASE.names().launchTemplate(),
              tags,
              1,
              1,
              converged().launchTemplate().orElseThrow().latestData());
      var run =
          PlanFixtures.run(
              PLANNER,
              desired(a -> a.getSpec().instanceType = "t3.large"),
              converged().withLaunchTemplate(foreign),
              Memory.NONE,
              Map.of());

      assertThat(run.all()).isEmpty();
      assertThat(run.result()).isEmpty();
      assertThat(run.context().conflicts())
          .singleElement()
          .asString()
          .contains(tags.isEmpty() ? "not tagged scalableapp.io/owner" : "owned by payroll");
    }
  }

  @Test
  void deletionRemovesOnlyTheAppsOwnTemplate() {
    var deleted = PlanFixtures.delete(PLANNER, converged(), true);
    assertThat(PlanFixtures.kinds(deleted.removals())).containsExactly("DeleteLaunchTemplate");

    var foreign = converged().withLaunchTemplate(template(1, 1, "t3.micro", FOREIGN));
    var left = PlanFixtures.delete(PLANNER, foreign, true);
    assertThat(left.removals()).isEmpty();
    assertThat(left.conflicts()).singleElement().asString().contains("payroll/directory");
  }
}
