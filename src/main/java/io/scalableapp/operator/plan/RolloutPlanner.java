package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import java.util.List;
import java.util.Optional;

/**
 * Puts every instance on the launch template version that holds the spec, decided from observed
 * state, so a crash between steps loses nothing: a group without instances is simply switched;
 * otherwise an instance refresh (one per group) rolls the version out, a refresh toward an older
 * version is cancelled first, and a version whose rollout failed or was rolled back is remembered
 * and left alone until the spec makes a new one. Gives its dependents the version once every
 * instance runs it.
 */
public final class RolloutPlanner implements PartialPlanner<LaunchTemplatePlanner.Version> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(GroupPlanner.class, LaunchTemplatePlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    RolloutSpec r = s.rollout;
    if (r == null) {
      return;
    }
    v.range("spec.rollout.minHealthyPercentage", r.minHealthyPercentage, 0, 100, false);
    v.range("spec.rollout.maxHealthyPercentage", r.maxHealthyPercentage, 100, 200, false);
    v.range("spec.rollout.instanceWarmupSeconds", r.instanceWarmupSeconds, 0, 3600, false);
    preferences(s).violations().forEach(problem -> v.add("spec.rollout: " + problem));
  }

  /** The instance refresh's preferences: the spec's, with AWS's defaults. */
  public static RefreshPreferences preferences(ScalableAppSpec s) {
    RolloutSpec r = s.rollout == null ? new RolloutSpec() : s.rollout;
    return RefreshPreferences.withDefaults(
        r.minHealthyPercentage,
        r.maxHealthyPercentage,
        r.instanceWarmupSeconds,
        r.skipMatching,
        r.autoRollback);
  }

  @Override
  public Optional<LaunchTemplatePlanner.Version> plan(PlanContext c) {
    Optional<ObservedGroup> group = c.ready(GroupPlanner.class);
    Optional<LaunchTemplatePlanner.Version> version = c.ready(LaunchTemplatePlanner.class);
    if (group.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    ObservedGroup g = group.get();
    long want = version.get().number();
    Optional<ObservedRefresh> active = c.observed().activeRefresh();
    if (active.isEmpty()
        && c.observed().refreshes().stream()
            .filter(r -> Long.valueOf(want).equals(r.targetVersion()))
            .findFirst()
            .filter(ObservedRefresh::failed)
            .isPresent()) {
      c.remember(m -> m.withFailedVersion(want));
    }
    if (active.isPresent()) {
      supersede(c, g, active.get(), want);
      return Optional.empty();
    }
    if (Long.valueOf(want).equals(c.memory().failedVersion())) {
      return Optional.empty();
    }
    boolean groupOnWant =
        version.get().templateId().equals(g.launchTemplateId())
            && Long.valueOf(want).equals(g.launchTemplateVersion());
    List<ObservedInstance> outdated =
        g.instances().stream()
            .filter(
                i ->
                    !i.leaving()
                        && i.launchTemplateVersion() != null
                        && !runsWant(c, i.launchTemplateVersion(), want))
            .toList();
    if (groupOnWant && outdated.isEmpty()) {
      return version;
    }
    if (outdated.isEmpty()) {
      c.add(
          new GroupPlanner.UpdateGroup(
              new GroupUpdate(
                  g.name(), null, null, null, null, version.get().templateId(), want, null),
              "launch template version "
                  + g.launchTemplateVersion()
                  + " -> "
                  + want
                  + (g.instances().isEmpty()
                      ? " (no instances to replace)"
                      : " (the running instances already run what it launches, tags aside: none"
                          + " is replaced)")));
    } else {
      c.add(
          new StartRefresh(
              g.name(),
              version.get().templateId(),
              want,
              preferences(c.spec()),
              "roll out launch template version "
                  + want
                  + " (group on version "
                  + g.launchTemplateVersion()
                  + ", "
                  + outdated.size()
                  + " instance(s) to replace)"));
    }
    return Optional.empty();
  }

  /**
   * An instance on {@code version} runs what the spec asks: it is on the wanted version, or on one
   * whose data differs from it only in the tags it puts on instances and volumes (those are not
   * replaced for a tag change; new instances get the new tags).
   */
  private static boolean runsWant(PlanContext c, long version, long want) {
    if (version == want) {
      return true;
    }
    ObservedLaunchTemplate template = c.observed().launchTemplate().orElse(null);
    return template != null
        && template.data(want) != null
        && template.data(want).sameLaunch(template.data(version));
  }

  /** One refresh per group: one toward another version is cancelled, then a new one starts. */
  private static void supersede(PlanContext c, ObservedGroup g, ObservedRefresh r, long want) {
    if (r.targetVersion() == null || r.targetVersion() == want) {
      return;
    }
    if (r.status().ending()) {
      c.waitFor(
          "instance refresh "
              + r.id()
              + " toward version "
              + r.targetVersion()
              + " is ending ("
              + r.status()
              + ")");
    } else {
      c.add(
          new CancelRefresh(
              g.name(),
              "instance refresh "
                  + r.id()
                  + " rolls out version "
                  + r.targetVersion()
                  + " but the spec now asks for version "
                  + want));
    }
  }

  public record StartRefresh(
      String groupName,
      String templateId,
      long version,
      RefreshPreferences preferences,
      String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().startRefresh(groupName, templateId, version, preferences);
    }

    @Override
    public String eventReason() {
      return "RolloutStarted";
    }
  }

  public record CancelRefresh(String groupName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().cancelRefresh(groupName);
    }

    @Override
    public String eventReason() {
      return "RolloutSuperseded";
    }
  }
}
