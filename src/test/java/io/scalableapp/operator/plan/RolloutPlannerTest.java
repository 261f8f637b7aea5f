package io.scalableapp.operator.plan;

import static io.scalableapp.operator.plan.PlanFixtures.BASE;
import static io.scalableapp.operator.plan.PlanFixtures.LT_ID;
import static io.scalableapp.operator.plan.PlanFixtures.converged;
import static io.scalableapp.operator.plan.PlanFixtures.desired;
import static io.scalableapp.operator.plan.PlanFixtures.group;
import static io.scalableapp.operator.plan.PlanFixtures.instance;
import static io.scalableapp.operator.plan.PlanFixtures.refresh;
import static io.scalableapp.operator.plan.PlanFixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table: (the group and its instances, the version holding the spec, refreshes AWS reports, what
 * status remembers) -> actions, and whether every instance runs the version.
 */
class RolloutPlannerTest {
  static final RolloutPlanner PLANNER = new RolloutPlanner();

  /** Version 2 holds the spec; the group and its two instances run version 1. */
  static final ObservedGroup ON_V1 = group(2, 4, 2, 1);

  static PlanFixtures.Run run(
      ObservedGroup g, long version, Memory memory, ObservedRefresh... refreshes) {
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(g));
    ready.put(
        LaunchTemplatePlanner.class,
        Optional.of(new LaunchTemplatePlanner.Version(LT_ID, version)));
    var observed = converged().withGroup(g).withRefreshes(List.of(refreshes));
    return PlanFixtures.run(PLANNER, BASE, observed, memory, ready);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "everything on the version: rolled out", run(ON_V1, 1, Memory.NONE), List.of(), true),
        Arguments.of(
            "a new version: one refresh",
            run(ON_V1, 2, Memory.NONE),
            List.of("StartRefresh:roll out launch template version 2 (group on version 1, 2"),
            false),
        Arguments.of(
            "a refresh toward the version runs: left to run",
            run(ON_V1, 2, Memory.NONE, refresh("r1", RefreshStatus.InProgress, 2)),
            List.of(),
            false),
        Arguments.of(
            "a refresh toward an older version: cancelled",
            run(ON_V1, 3, Memory.NONE, refresh("r1", RefreshStatus.InProgress, 2)),
            List.of("CancelRefresh:rolls out version 2 but the spec now asks for version 3"),
            false),
        Arguments.of(
            "the cancelled refresh ended: a new one starts",
            run(ON_V1, 3, Memory.NONE, refresh("r1", RefreshStatus.Cancelled, 2)),
            List.of("StartRefresh:version 3"),
            false),
        Arguments.of(
            "the group was switched without a refresh: its instances still roll",
            run(group(2, 4, 2, 2, ON_V1.instances()), 2, Memory.NONE),
            List.of("StartRefresh:2 instance(s) to replace"),
            false),
        Arguments.of(
            "an empty group is simply switched",
            run(group(0, 4, 0, 1), 2, Memory.NONE),
            List.of("UpdateGroup:(no instances to replace)"),
            false),
        Arguments.of(
            "instances on their way out do not start a rollout",
            run(
                group(
                    2,
                    4,
                    2,
                    2,
                    List.of(
                        instance("i-new1", LifecycleState.InService, 2),
                        instance("i-new2", LifecycleState.InService, 2),
                        instance("i-old", LifecycleState.Terminating, 1))),
                2,
                Memory.NONE,
                refresh("r1", RefreshStatus.Successful, 2)),
            List.of(),
            true),
        Arguments.of(
            "a remembered failed version is not rolled out again",
            run(ON_V1, 2, Memory.NONE.withFailedVersion(2L)),
            List.of(),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(String name, PlanFixtures.Run run, List<String> expected, boolean rolledOut) {
    run.assertActions(expected);
    assertThat(run.result().isPresent()).isEqualTo(rolledOut);
  }

  /**
   * Version 2 differs from version 1 only in the tags it puts on instances and volumes; the group
   * is on {@code groupVersion} and its two instances on version 1.
   */
  static PlanFixtures.Run retagged(long groupVersion) {
    var v1 = template(1, 1, "t3.micro").latestData().withTags(Map.of("team", "before"));
    var lt = template(2, 1, "t3.micro").withOlderVersions(Map.of(1L, v1));
    var g = group(2, 4, 2, groupVersion, ON_V1.instances());
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(g));
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 2)));
    return PlanFixtures.run(
        PLANNER, BASE, converged().withLaunchTemplate(lt).withGroup(g), Memory.NONE, ready);
  }

  @Test
  void aVersionThatOnlyRetagsWhatItLaunchesSwitchesTheGroupAndReplacesNothing() {
    var switching = retagged(1);
    switching.assertActions(List.of("UpdateGroup:already run what it launches, tags aside"));
    var update = (GroupPlanner.UpdateGroup) switching.context().actions().get(0);
    assertThat(update.update().launchTemplateVersion()).isEqualTo(2L);
    assertThat(switching.result()).isEmpty();

    // Switched: the instances on version 1 run what the spec asks; they stay.
    var switched = retagged(2);
    assertThat(switched.all()).isEmpty();
    assertThat(switched.result()).isPresent();
  }

  @Test
  void aVersionWhoseOlderDataWasNotReadIsRolledOutAsUsual() {
    var g = group(2, 4, 2, 1, ON_V1.instances());
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(g));
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 2)));
    var run =
        PlanFixtures.run(
            PLANNER,
            BASE,
            converged().withLaunchTemplate(template(2, 1, "t3.micro")).withGroup(g),
            Memory.NONE,
            ready);
    run.assertActions(List.of("StartRefresh"));
  }

  @Test
  void theRefreshCarriesTheNumberedVersionAndTheSpecsPreferences() {
    var d =
        desired(
            a -> {
              a.getSpec().rollout = new RolloutSpec();
              a.getSpec().rollout.minHealthyPercentage = 75;
              a.getSpec().rollout.instanceWarmupSeconds = 60;
            });
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.of(ON_V1));
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 2)));
    var run = PlanFixtures.run(PLANNER, d, converged(), Memory.NONE, ready);

    var start = (RolloutPlanner.StartRefresh) run.context().actions().get(0);
    assertThat(start.version()).isEqualTo(2);
    assertThat(start.templateId()).isEqualTo(LT_ID);
    assertThat(start.groupName()).isEqualTo(ON_V1.name());
    assertThat(start.preferences()).isEqualTo(new RefreshPreferences(75, 100, 60, true, true));
    assertThat(start.eventReason()).isEqualTo("RolloutStarted");
  }

  @Test
  void waitsWhileASupersededRefreshIsEnding() {
    for (var ending : List.of(RefreshStatus.Cancelling, RefreshStatus.RollbackInProgress)) {
      var run = run(ON_V1, 3, Memory.NONE, refresh("r1", ending, 2));
      assertThat(run.all()).as(ending.name()).isEmpty();
      assertThat(run.context().waitingFor()).singleElement().asString().contains(ending.name());
    }
  }

  @Test
  void aFailedOrRolledBackVersionIsRemembered() {
    for (var outcome : List.of(RefreshStatus.Failed, RefreshStatus.RollbackSuccessful)) {
      var run = run(ON_V1, 2, Memory.NONE, refresh("r1", outcome, 2));
      assertThat(run.all()).as(outcome.name()).isEmpty();
      assertThat(run.context().memory().failedVersion()).as(outcome.name()).isEqualTo(2L);
    }
    // A spec change makes version 3: that one rolls out.
    var v3 =
        run(ON_V1, 3, Memory.NONE.withFailedVersion(2L), refresh("r1", RefreshStatus.Failed, 2));
    assertThat(v3.kinds()).containsExactly("StartRefresh");
  }

  @Test
  void nothingUntilTheGroupAndTheVersionAreReady() {
    var ready = new HashMap<Class<? extends PartialPlanner<?>>, Optional<?>>();
    ready.put(GroupPlanner.class, Optional.empty());
    ready.put(
        LaunchTemplatePlanner.class, Optional.of(new LaunchTemplatePlanner.Version(LT_ID, 2)));
    assertThat(PlanFixtures.run(PLANNER, BASE, converged(), Memory.NONE, ready).all()).isEmpty();
  }
}
