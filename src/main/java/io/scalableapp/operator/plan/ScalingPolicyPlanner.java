package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import java.util.List;
import java.util.Optional;

/**
 * The group's target-tracking policy on average CPU; deleted when the spec drops {@code scaling}.
 */
public final class ScalingPolicyPlanner implements PartialPlanner<Void> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(GroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    if (s.scaling != null) {
      v.range("spec.scaling.targetCpuUtilization", s.scaling.targetCpuUtilization, 1, 100, true);
      v.range(
          "spec.scaling.estimatedWarmupSeconds", s.scaling.estimatedWarmupSeconds, 0, 3600, false);
    }
  }

  /** The policy the spec asks for, under {@code name}; empty without {@code spec.scaling}. */
  public static Optional<ScalingPolicyConfig> desired(ScalableAppSpec s, String name) {
    return Optional.ofNullable(s.scaling)
        .map(
            sc ->
                new ScalingPolicyConfig(
                    name,
                    sc.targetCpuUtilization,
                    sc.estimatedWarmupSeconds,
                    Boolean.TRUE.equals(sc.disableScaleIn)));
  }

  @Override
  public Optional<Void> plan(PlanContext c) {
    if (c.ready(GroupPlanner.class).isEmpty()) {
      return Optional.empty();
    }
    String group = c.desired().names().autoScalingGroup();
    Optional<ScalingPolicyConfig> want = desired(c.spec(), c.desired().names().policy());
    Optional<ScalingPolicyConfig> seen = c.observed().policy();
    if (want.isPresent()) {
      if (seen.isEmpty()) {
        c.add(new PutScalingPolicy(group, want.get(), "scaling policy does not exist"));
      } else if (!same(want.get(), seen.get())) {
        c.add(
            new PutScalingPolicy(
                group, want.get(), "scaling policy " + seen.get() + " -> " + want.get()));
      }
    } else if (seen.isPresent()) {
      c.remove(
          new DeleteScalingPolicy(group, c.desired().names().policy(), "spec.scaling removed"));
    }
    return Optional.empty();
  }

  private static boolean same(ScalingPolicyConfig want, ScalingPolicyConfig seen) {
    return Double.compare(want.targetCpuUtilization(), seen.targetCpuUtilization()) == 0
        && want.disableScaleIn() == seen.disableScaleIn()
        // Unset warmup: AWS's (or the group's) default counts as equal.
        && (want.estimatedWarmupSeconds() == null
            || want.estimatedWarmupSeconds().equals(seen.estimatedWarmupSeconds()));
  }

  @Override
  public boolean delete(DeletionContext c) {
    boolean groupStays =
        c.observed().group().filter(g -> c.ours(g.tags()) && !g.deleting()).isPresent();
    if (groupStays && c.observed().policy().isPresent()) {
      c.remove(
          new DeleteScalingPolicy(c.names().autoScalingGroup(), c.names().policy(), "app deleted"));
    }
    return true;
  }

  public record PutScalingPolicy(String groupName, ScalingPolicyConfig policy, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().putPolicy(groupName, policy);
    }
  }

  public record DeleteScalingPolicy(String groupName, String policyName, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().deletePolicy(groupName, policyName);
    }
  }
}
