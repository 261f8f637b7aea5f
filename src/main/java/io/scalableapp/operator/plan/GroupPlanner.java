package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.SUBNET_PATTERN;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.TagChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Auto Scaling Group (horizontal scaling): created on the launch template's numbered version
 * with the target group attached; min, max, subnets, health-check type and attachments kept on
 * every pass; desired capacity only as the spec asks (otherwise the group's own scaling owns it).
 * The version it launches moves with rollouts ({@link RolloutPlanner}). Gives its dependents the
 * group as AWS reports it, once it exists and is not being deleted.
 */
public final class GroupPlanner implements PartialPlanner<ObservedGroup> {
  /** Seconds AWS waits after launch before ELB health checks count. */
  static final int HEALTH_CHECK_GRACE_SECONDS = 300;

  static final String KIND = "Auto Scaling Group";

  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(LaunchTemplatePlanner.class, TargetGroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    v.ids("spec.subnetIds", s.subnetIds, SUBNET_PATTERN, 1, 16, true);
    Instances.validate(s, v);
    Capacity c = s.capacity;
    if (c == null) {
      v.add("spec.capacity: required");
      return;
    }
    v.range("spec.capacity.min", c.min, 0, Capacity.LIMIT, true);
    v.range("spec.capacity.max", c.max, 0, Capacity.LIMIT, true);
    v.range("spec.capacity.desired", c.desired, 0, Capacity.LIMIT, false);
    if (c.min != null && c.max != null && c.min > c.max) {
      v.add("spec.capacity: min (" + c.min + ") must be <= max (" + c.max + ")");
    }
    if (c.desired != null
        && c.min != null
        && c.max != null
        && (c.desired < c.min || c.desired > c.max)) {
      v.add(
          "spec.capacity: desired ("
              + c.desired
              + ") must be within ["
              + c.min
              + ", "
              + c.max
              + "]");
    }
  }

  /** ELB health checks when the group registers in a target group, so unhealthy targets go. */
  static HealthCheckType healthCheckType(ScalableAppSpec s) {
    return s.targetGroup != null ? HealthCheckType.ELB : HealthCheckType.EC2;
  }

  @Override
  public Optional<ObservedGroup> plan(PlanContext c) {
    Optional<ObservedGroup> seen = c.observed().group();
    if (seen.isPresent() && !c.owned(KIND, seen.get().name(), seen.get().tags())) {
      return Optional.empty();
    }
    Optional<LaunchTemplatePlanner.Version> lt = c.ready(LaunchTemplatePlanner.class);
    Optional<List<String>> targetGroups =
        c.ready(TargetGroupPlanner.class).map(TargetGroupPlanner.Serving::attach);
    Capacity capacity = c.spec().capacity;
    if (seen.isEmpty()) {
      if (lt.isPresent() && targetGroups.isPresent()) {
        c.add(
            new CreateGroup(
                new GroupConfig(
                    c.desired().names().autoScalingGroup(),
                    lt.get().templateId(),
                    lt.get().number(),
                    capacity.min,
                    capacity.max,
                    capacity.desired != null ? capacity.desired : capacity.min,
                    c.desired().subnetIds(),
                    targetGroups.get(),
                    healthCheckType(c.spec()),
                    HEALTH_CHECK_GRACE_SECONDS,
                    Instances.desired(c.spec()),
                    Instances.capacityRebalance(c.spec()),
                    LifecycleHookPlanner.desired(c.spec())),
                c.desired().tags(),
                "Auto Scaling Group does not exist"));
        c.remember(m -> m.withAppliedDesired(capacity.desired));
      }
      return Optional.empty();
    }
    ObservedGroup g = seen.get();
    if (g.deleting()) {
      c.waitFor("Auto Scaling Group " + g.name() + " is being deleted");
      return Optional.empty();
    }
    update(c, g);
    targetGroups.ifPresent(arns -> attachments(c, g, arns));
    TagChange tags = TagChange.between(c.desired().tags(), g.tags(), g.unpropagatedTags());
    if (!tags.isEmpty()) {
      c.add(
          new RetagGroup(
              g.name(),
              tags,
              tags.describe(g.tags())
                  + " (propagated to instances launched from now on; running ones keep theirs"
                  + " until replaced)"));
    }
    return Optional.of(g);
  }

  /** Min, max, subnets and health-check type always; desired only as the spec asks. */
  private static void update(PlanContext c, ObservedGroup g) {
    Capacity want = c.spec().capacity;
    Integer applied = c.memory().appliedDesired();
    var reasons = new ArrayList<String>();
    Integer min = null;
    Integer max = null;
    Integer desired = null;
    List<String> subnets = null;
    HealthCheckType healthCheckType = null;
    if (g.min() != want.min) {
      min = want.min;
      reasons.add("min " + g.min() + " -> " + want.min);
    }
    if (g.max() != want.max) {
      max = want.max;
      reasons.add("max " + g.max() + " -> " + want.max);
    }
    if (want.desired != null && !want.desired.equals(applied)) {
      c.remember(m -> m.withAppliedDesired(want.desired));
      if (g.desired() != want.desired) {
        desired = want.desired;
        reasons.add("desired " + g.desired() + " -> " + want.desired + " (spec changed)");
      }
    } else if (want.desired == null) {
      c.remember(m -> m.withAppliedDesired(null));
    }
    if (desired == null && (g.desired() < want.min || g.desired() > want.max)) {
      desired = Math.max(want.min, Math.min(want.max, g.desired()));
      reasons.add("desired " + g.desired() + " -> " + desired + " (kept within min and max)");
    }
    if (!g.subnetIds().equals(c.desired().subnetIds())) {
      subnets = c.desired().subnetIds();
      reasons.add("subnets " + g.subnetIds() + " -> " + subnets);
    }
    HealthCheckType wantedCheck = healthCheckType(c.spec());
    if (wantedCheck != g.healthCheckType()) {
      healthCheckType = wantedCheck;
      reasons.add("health check type " + g.healthCheckType() + " -> " + wantedCheck);
    }
    Boolean rebalance = null;
    if (Instances.capacityRebalance(c.spec()) != g.capacityRebalance()) {
      rebalance = Instances.capacityRebalance(c.spec());
      reasons.add(
          "capacity rebalance "
              + (rebalance ? "on" : "off")
              + " (affects Spot instances from now on; none is replaced for it)");
    }
    var update =
        new GroupUpdate(
            g.name(), min, max, desired, subnets, null, null, healthCheckType, null, rebalance);
    if (!update.isEmpty()) {
      c.add(new UpdateGroup(update, String.join("; ", reasons)));
    }
  }

  private static void attachments(PlanContext c, ObservedGroup g, List<String> wanted) {
    List<String> missing = wanted.stream().filter(a -> !g.targetGroupArns().contains(a)).toList();
    List<String> extra = g.targetGroupArns().stream().filter(a -> !wanted.contains(a)).toList();
    if (!missing.isEmpty()) {
      c.add(new AttachTargetGroups(g.name(), missing, "target group not attached to the group"));
    }
    if (!extra.isEmpty()) {
      c.add(
          new DetachTargetGroups(
              g.name(), extra, "target groups the spec no longer asks for, or replaced"));
    }
  }

  @Override
  public boolean delete(DeletionContext c) {
    Optional<ObservedGroup> group = c.observed().group();
    if (group.isEmpty() || !c.owned(KIND, group.get().name(), group.get().tags())) {
      return true;
    }
    if (group.get().deleting()) {
      c.waitFor("Auto Scaling Group " + group.get().name() + " is being deleted");
    } else {
      c.remove(new DeleteGroup(group.get().name(), "app deleted"));
    }
    return false;
  }

  public record CreateGroup(GroupConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().create(config, tags);
    }
  }

  public record UpdateGroup(GroupUpdate update, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().update(update);
    }
  }

  public record AttachTargetGroups(String groupName, List<String> arns, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().attachTargetGroups(groupName, arns);
    }
  }

  public record DetachTargetGroups(String groupName, List<String> arns, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().detachTargetGroups(groupName, arns);
    }
  }

  public record RetagGroup(String groupName, TagChange change, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().retag(groupName, change);
    }
  }

  public record DeleteGroup(String groupName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().delete(groupName);
    }
  }
}
