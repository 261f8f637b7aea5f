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

  // --- imageId: resolve:ssm:<parameter> ---------------------------------------------------------

  static final String AL2023 =
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

  static DesiredApp fromParameter(Boolean follow) {
    return desired(
        a -> {
          a.getSpec().imageId = AL2023;
          if (follow != null) {
            a.getSpec().rollout = new io.scalableapp.operator.api.RolloutSpec();
            a.getSpec().rollout.followImageParameter = follow;
          }
        });
  }

  /** The app's template at version 2, launching {@code image}. */
  static ObservedApp launching(DesiredApp d, String image, String parameterNow) {
    var data = LaunchTemplatePlanner.desired(d.spec(), image).withTags(d.tags());
    return converged()
        .withLaunchTemplate(
            new ObservedLaunchTemplate(
                LT_ID, d.names().launchTemplate(), PlanFixtures.OURS, 2, 2, data))
        .withParameterImage(parameterNow);
  }

  @Test
  void anImageParameterIsLaunchedAsTheImageItHoldsAndRemembered() {
    DesiredApp d = fromParameter(null);

    var created =
        PlanFixtures.run(
            PLANNER,
            d,
            ObservedApp.nothing().withParameterImage("ami-0a2023a2023a2023a"),
            Memory.NONE,
            Map.of());
    var create = (LaunchTemplatePlanner.CreateLaunchTemplate) created.context().actions().get(0);
    assertThat(create.data().imageId()).isEqualTo("ami-0a2023a2023a2023a");

    var ready =
        PlanFixtures.run(
            PLANNER,
            d,
            launching(d, "ami-0a2023a2023a2023a", "ami-0a2023a2023a2023a"),
            Memory.NONE,
            Map.of());
    assertThat(ready.result()).isPresent();
    assertThat(ready.context().memory().imageParameter()).isEqualTo(AL2023);
    assertThat(ready.context().memory().image()).isEqualTo("ami-0a2023a2023a2023a");
  }

  @Test
  void aNewImageUnderTheParameterMakesANewVersionUnlessTheAppDoesNotFollowIt() {
    Memory remembered = Memory.NONE.withImage(AL2023, "ami-0a2023a2023a2023a");
    for (Boolean follow : java.util.Arrays.asList(null, true)) {
      DesiredApp d = fromParameter(follow);
      var run =
          PlanFixtures.run(
              PLANNER,
              d,
              launching(d, "ami-0a2023a2023a2023a", "ami-0b2023b2023b2023b"),
              remembered,
              Map.of());
      var version =
          (LaunchTemplatePlanner.CreateLaunchTemplateVersion) run.context().actions().get(0);
      assertThat(version.data().imageId()).isEqualTo("ami-0b2023b2023b2023b");
      assertThat(version.reason()).contains("ami-0a2023a2023a2023a -> ami-0b2023b2023b2023b");
    }

    DesiredApp pinned = fromParameter(false);
    var kept =
        PlanFixtures.run(
            PLANNER,
            pinned,
            launching(pinned, "ami-0a2023a2023a2023a", "ami-0b2023b2023b2023b"),
            remembered,
            Map.of());
    assertThat(kept.context().actions()).isEmpty();
    assertThat(kept.result()).isPresent();
    assertThat(kept.context().memory().image()).isEqualTo("ami-0a2023a2023a2023a");
  }

  @Test
  void notFollowingStillResolvesWhenImageIdItselfChanges() {
    DesiredApp pinned = fromParameter(false);
    // What the template launches was resolved from another parameter (or was an AMI id).
    Memory other = Memory.NONE.withImage("resolve:ssm:/golden", "ami-0c2023c2023c2023c");

    var run =
        PlanFixtures.run(
            PLANNER,
            pinned,
            launching(pinned, "ami-0c2023c2023c2023c", "ami-0b2023b2023b2023b"),
            other,
            Map.of());

    var version =
        (LaunchTemplatePlanner.CreateLaunchTemplateVersion) run.context().actions().get(0);
    assertThat(version.data().imageId()).isEqualTo("ami-0b2023b2023b2023b");
  }

  @Test
  void anUnreadParameterWaitsAndChangesNothing() {
    var run = PlanFixtures.run(PLANNER, fromParameter(null), converged(), Memory.NONE, Map.of());

    assertThat(run.context().actions()).isEmpty();
    assertThat(run.result()).isEmpty();
    assertThat(run.context().waitingFor()).singleElement().asString().contains("SSM parameter");
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
