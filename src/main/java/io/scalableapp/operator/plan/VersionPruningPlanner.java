package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Once every instance runs the spec's version: it becomes the template's default, and old versions
 * are pruned (AWS allows 10,000 per template), keeping the latest ones and every version in use.
 */
public final class VersionPruningPlanner implements PartialPlanner<Void> {
  /** Launch template versions kept besides those in use. */
  public static final int KEEP_VERSIONS = 10;

  /** Versions deleted per plan at most (AWS takes 200 per call). */
  static final int MAX_PRUNE = 200;

  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(RolloutPlanner.class);
  }

  @Override
  public Optional<Void> plan(PlanContext c) {
    Optional<LaunchTemplatePlanner.Version> rolledOut = c.ready(RolloutPlanner.class);
    Optional<ObservedLaunchTemplate> seen = c.observed().launchTemplate();
    if (rolledOut.isEmpty() || seen.isEmpty()) {
      return Optional.empty();
    }
    long want = rolledOut.get().number();
    ObservedLaunchTemplate template = seen.get();
    if (template.defaultVersion() != want) {
      c.add(
          new SetDefaultVersion(
              template.id(),
              want,
              "default version "
                  + template.defaultVersion()
                  + " -> "
                  + want
                  + " (the version in use)"));
    }
    Long pruned = c.memory().prunedThrough();
    long upTo = template.latestVersion() - KEEP_VERSIONS;
    long from = pruned == null ? 1 : pruned + 1;
    if (upTo < from) {
      return Optional.empty();
    }
    from = Math.max(from, upTo - MAX_PRUNE + 1);
    Set<Long> keep = new HashSet<>(List.of(want, template.defaultVersion()));
    c.observed().group().stream()
        .flatMap(g -> g.instances().stream())
        .map(ObservedInstance::launchTemplateVersion)
        .filter(Objects::nonNull)
        .forEach(keep::add);
    List<Long> versions =
        LongStream.rangeClosed(from, upTo).boxed().filter(v -> !keep.contains(v)).toList();
    if (!versions.isEmpty()) {
      c.add(
          new DeleteLaunchTemplateVersions(
              template.id(),
              versions,
              "prune versions "
                  + from
                  + ".."
                  + upTo
                  + " (keep the latest "
                  + KEEP_VERSIONS
                  + " and those in use)"));
    }
    c.remember(m -> m.withPrunedThrough(upTo));
    return Optional.empty();
  }

  public record SetDefaultVersion(String templateId, long version, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().setDefaultVersion(templateId, version);
    }
  }

  public record DeleteLaunchTemplateVersions(String templateId, List<Long> versions, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().deleteVersions(templateId, versions);
    }
  }
}
