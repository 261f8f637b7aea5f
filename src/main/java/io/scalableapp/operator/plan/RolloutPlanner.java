package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
    InstancesPolicy wantPolicy = Instances.desired(c.spec());
    String wantKey = InstancesPolicy.key(wantPolicy);
    Optional<ObservedRefresh> active = c.observed().activeRefresh();
    if (active.isEmpty()
        && c.observed().refreshes().stream()
            .filter(r -> towardWant(r, want, wantPolicy))
            .findFirst()
            .filter(ObservedRefresh::failed)
            .isPresent()) {
      c.remember(m -> m.withFailed(want, wantKey));
    }
    if (active.isPresent()) {
      supersede(c, g, active.get(), want, wantPolicy);
      return Optional.empty();
    }
    if (Long.valueOf(want).equals(c.memory().failedVersion())
        && Objects.equals(wantKey, c.memory().failedInstances())) {
      return Optional.empty();
    }
    boolean groupOnWant =
        version.get().templateId().equals(g.launchTemplateId())
            && Long.valueOf(want).equals(g.launchTemplateVersion())
            && Objects.equals(g.instancesPolicy(), wantPolicy);
    List<ObservedInstance> live = g.instances().stream().filter(i -> !i.leaving()).toList();
    List<ObservedInstance> outdated =
        live.stream()
            .filter(
                i ->
                    (i.launchTemplateVersion() != null
                            && !runsWant(c, i.launchTemplateVersion(), want))
                        || !typeWanted(c, g, wantPolicy, i))
            .toList();
    List<String> launchChanges = InstancesPolicy.launchDifferences(g.instancesPolicy(), wantPolicy);
    // The split and attribute-based selection are not visible per instance: AWS replaces
    // instances to meet them.
    boolean splitChanged = InstancesPolicy.splitChanged(g.instancesPolicy(), wantPolicy);
    boolean unseenChange =
        !live.isEmpty()
            && (splitChanged
                || InstancesPolicy.requirementsChanged(g.instancesPolicy(), wantPolicy));
    if (groupOnWant && outdated.isEmpty()) {
      if (c.memory().failedInstances() != null) {
        // What failed before is no longer asked for, and what is asked for is in place.
        c.remember(m -> m.withFailed(null, null));
      }
      return version;
    }
    if (outdated.isEmpty() && !unseenChange) {
      var changes = new ArrayList<String>();
      if (!Long.valueOf(want).equals(g.launchTemplateVersion())) {
        changes.add("launch template version " + g.launchTemplateVersion() + " -> " + want);
      }
      changes.addAll(launchChanges);
      changes.addAll(InstancesPolicy.futureDifferences(g.instancesPolicy(), wantPolicy));
      c.add(
          new GroupPlanner.UpdateGroup(
              new GroupUpdate(
                  g.name(),
                  null,
                  null,
                  null,
                  null,
                  version.get().templateId(),
                  want,
                  null,
                  wantPolicy,
                  null),
              String.join("; ", changes)
                  + (g.instances().isEmpty()
                      ? " (no instances to replace)"
                      : " (affects instances launched from now on; the running instances already"
                          + " run what it launches, tags aside: none is replaced)")));
    } else {
      RefreshPreferences prefs = preferences(c.spec());
      if (splitChanged) {
        // Skip matching compares templates and types, not how an instance was bought.
        prefs = prefs.withSkipMatching(false);
      }
      var what = new ArrayList<String>();
      if (!Long.valueOf(want).equals(g.launchTemplateVersion())) {
        what.add("launch template version " + want);
      }
      what.addAll(launchChanges);
      c.add(
          new StartRefresh(
              g.name(),
              version.get().templateId(),
              want,
              wantPolicy,
              prefs,
              "roll out "
                  + (what.isEmpty() ? "launch template version " + want : String.join("; ", what))
                  + " (group on version "
                  + g.launchTemplateVersion()
                  + ", "
                  + (outdated.isEmpty() && splitChanged
                      ? "every instance replaced to meet the new On-Demand/Spot split"
                      : outdated.isEmpty()
                          ? "AWS replaces the instances the new requirements exclude"
                          : outdated.size() + " instance(s) to replace")
                  + ")"));
    }
    return Optional.empty();
  }

  private static String describe(InstancesPolicy p) {
    return p == null ? "" : " (" + InstancesPolicy.key(p) + ")";
  }

  /** A refresh toward the version and policy the spec asks for. */
  private static boolean towardWant(ObservedRefresh r, long want, InstancesPolicy wantPolicy) {
    return Long.valueOf(want).equals(r.targetVersion())
        && Objects.equals(r.targetPolicy(), wantPolicy);
  }

  /**
   * The instance's type is one the spec launches (attribute-based selection: AWS decides). With the
   * template alone the template's version says it all, unless the group still launches through a
   * mix, whose other types must go.
   */
  private static boolean typeWanted(
      PlanContext c, ObservedGroup g, InstancesPolicy p, ObservedInstance i) {
    if (i.instanceType() == null) {
      return true;
    }
    if (p == null) {
      String type = Instances.templateType(c.spec());
      return g.instancesPolicy() == null || type == null || type.equals(i.instanceType());
    }
    return p.types().isEmpty() || p.typeNames().contains(i.instanceType());
  }

  /**
   * An instance on {@code version} runs what the spec asks: it is on the wanted version, or on one
   * whose data differs from it only in the tags it puts on instances and volumes (those are not
   * replaced for a tag change; new instances get the new tags), or, with a list of types, only in
   * the template's type (the list decides; each instance's type is checked against it).
   */
  private static boolean runsWant(PlanContext c, long version, long want) {
    if (version == want) {
      return true;
    }
    ObservedLaunchTemplate template = c.observed().launchTemplate().orElse(null);
    if (template == null || template.data(want) == null) {
      return false;
    }
    InstancesPolicy p = Instances.desired(c.spec());
    // With a list of types the policy decides the type (checked per instance), not the template.
    return p != null && !p.types().isEmpty()
        ? template.data(want).sameLaunchAnyType(template.data(version))
        : template.data(want).sameLaunch(template.data(version));
  }

  /** One refresh per group: one toward another version is cancelled, then a new one starts. */
  private static void supersede(
      PlanContext c, ObservedGroup g, ObservedRefresh r, long want, InstancesPolicy wantPolicy) {
    if (r.targetVersion() == null || towardWant(r, want, wantPolicy)) {
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
                  + describe(r.targetPolicy())
                  + " but the spec now asks for version "
                  + want
                  + describe(wantPolicy)));
    }
  }

  public record StartRefresh(
      String groupName,
      String templateId,
      long version,
      InstancesPolicy instances,
      RefreshPreferences preferences,
      String reason)
      implements Action {
    public StartRefresh(
        String groupName,
        String templateId,
        long version,
        RefreshPreferences preferences,
        String reason) {
      this(groupName, templateId, version, null, preferences, reason);
    }

    @Override
    public void apply(Cloud cloud) {
      cloud
          .autoScalingGroups()
          .startRefresh(groupName, templateId, version, instances, preferences);
    }

    @Override
    public String eventReason() {
      return "RolloutStarted";
    }

    /** One refresh per group: IN_USE means one is active, which the next observation reads. */
    @Override
    public boolean alreadyBegunWhenInUse() {
      return true;
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
