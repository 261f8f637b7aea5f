package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Every diff decision: desired app + observed AWS state -> ordered actions with reasons. Pure. A
 * step that needs the result of another (the group needs the launch template's id) is left to the
 * next plan, made after the first step is applied and observed, so each plan only names ids AWS
 * already gave.
 */
public final class Planner {
  /** Seconds AWS waits after launch before ELB health checks count. */
  static final int HEALTH_CHECK_GRACE_SECONDS = 300;

  private Planner() {}

  /** Launch template versions kept besides those in use (AWS allows 10,000 per template). */
  public static final int KEEP_VERSIONS = 10;

  /** Versions deleted per plan at most (AWS takes 200 per call). */
  static final int MAX_PRUNE = 200;

  /**
   * @param memory what status remembers: desired capacity last applied, a failed version, pruning
   */
  public static Plan plan(DesiredApp d, ObservedApp o, Memory memory) {
    Integer appliedDesired = memory.appliedDesired();
    List<String> conflicts = conflicts(d.ownerKey(), o, d.names());
    if (!conflicts.isEmpty()) {
      return new Plan(List.of(), conflicts, List.of(), List.of(), memory);
    }
    var actions = new ArrayList<Action>();
    var blocked = new ArrayList<String>();
    var waiting = new ArrayList<String>();

    Optional<LtVersion> lt = launchTemplate(d, o.launchTemplate(), actions);
    Optional<String> tgArn = targetGroup(d, o, actions, blocked);
    boolean tgReady = d.targetGroup().isEmpty() || tgArn.isPresent();
    loadBalancer(d, o, tgArn, actions, blocked);
    Integer applied = appliedDesired;
    Memory next = memory;

    if (o.group().isEmpty()) {
      if (lt.isPresent() && tgReady) {
        int desired = d.desired() != null ? d.desired() : d.min();
        actions.add(
            new Action.CreateGroup(
                new GroupConfig(
                    d.names().autoScalingGroup(),
                    lt.get().id(),
                    lt.get().version(),
                    d.min(),
                    d.max(),
                    desired,
                    d.subnetIds(),
                    tgArn.stream().toList(),
                    healthCheckType(d),
                    HEALTH_CHECK_GRACE_SECONDS),
                d.tags(),
                "Auto Scaling Group does not exist"));
        applied = d.desired();
      }
    } else if (o.group().get().deleting()) {
      waiting.add("Auto Scaling Group " + d.names().autoScalingGroup() + " is being deleted");
    } else {
      ObservedGroup g = o.group().get();
      applied = updateGroup(d, g, appliedDesired, actions);
      if (tgReady) {
        attachments(d, g, tgArn, actions);
      }
      policy(d, o, actions);
      if (lt.isPresent()) {
        next = rollout(d, o, g, lt.get(), memory, actions, waiting);
      }
    }
    return new Plan(
        actions,
        conflicts,
        blocked,
        waiting,
        new Memory(applied, next.failedVersion(), next.prunedThrough()));
  }

  /**
   * Puts every instance on the desired version, decided from observed state: a group without
   * instances is simply switched; otherwise an instance refresh (one per group) rolls it out, a
   * refresh toward an older version is cancelled first, and a version whose rollout failed is left
   * alone until the spec makes a new one. Once converged, the version becomes the default and old
   * versions are pruned.
   */
  private static Memory rollout(
      DesiredApp d,
      ObservedApp o,
      ObservedGroup g,
      LtVersion lt,
      Memory memory,
      List<Action> actions,
      List<String> waiting) {
    long want = lt.version();
    Long failed = memory.failedVersion();
    Long pruned = memory.prunedThrough();
    Optional<ObservedRefresh> active = o.activeRefresh();
    Optional<ObservedRefresh> lastForWant =
        o.refreshes().stream()
            .filter(r -> Long.valueOf(want).equals(r.targetVersion()))
            .findFirst();
    if (active.isEmpty() && lastForWant.filter(ObservedRefresh::failed).isPresent()) {
      failed = want;
    }
    if (active.isPresent()) {
      ObservedRefresh r = active.get();
      if (r.targetVersion() != null && r.targetVersion() != want) {
        if (r.status().ending()) {
          waiting.add(
              "instance refresh "
                  + r.id()
                  + " toward version "
                  + r.targetVersion()
                  + " is ending ("
                  + r.status()
                  + ")");
        } else {
          actions.add(
              new Action.CancelRefresh(
                  g.name(),
                  "instance refresh "
                      + r.id()
                      + " rolls out version "
                      + r.targetVersion()
                      + " but the spec now asks for version "
                      + want));
        }
      }
      return new Memory(memory.appliedDesired(), failed, pruned);
    }
    if (Long.valueOf(want).equals(failed)) {
      return new Memory(memory.appliedDesired(), failed, pruned);
    }
    boolean groupOnWant =
        lt.id().equals(g.launchTemplateId())
            && Long.valueOf(want).equals(g.launchTemplateVersion());
    List<ObservedInstance> outdated =
        g.instances().stream()
            .filter(
                i ->
                    !i.leaving()
                        && i.launchTemplateVersion() != null
                        && i.launchTemplateVersion() != want)
            .toList();
    if (!groupOnWant || !outdated.isEmpty()) {
      if (g.instances().isEmpty()) {
        actions.add(
            new Action.UpdateGroup(
                new GroupUpdate(g.name(), null, null, null, null, lt.id(), want, null),
                "launch template version "
                    + g.launchTemplateVersion()
                    + " -> "
                    + want
                    + " (no instances to replace)"));
      } else {
        int stale = groupOnWant ? outdated.size() : g.instances().size();
        actions.add(
            new Action.StartRefresh(
                g.name(),
                lt.id(),
                want,
                d.rollout(),
                "roll out launch template version "
                    + want
                    + " (group on version "
                    + g.launchTemplateVersion()
                    + ", "
                    + stale
                    + " instance(s) to replace)"));
      }
      return new Memory(memory.appliedDesired(), failed, pruned);
    }
    ObservedLaunchTemplate template = o.launchTemplate().orElseThrow();
    if (template.defaultVersion() != want) {
      actions.add(
          new Action.SetDefaultVersion(
              lt.id(),
              want,
              "default version "
                  + template.defaultVersion()
                  + " -> "
                  + want
                  + " (the version in use)"));
    }
    long upTo = template.latestVersion() - KEEP_VERSIONS;
    long from = pruned == null ? 1 : pruned + 1;
    if (upTo >= from) {
      from = Math.max(from, upTo - MAX_PRUNE + 1);
      Set<Long> keep = new HashSet<>(List.of(want, template.defaultVersion()));
      g.instances().stream()
          .map(ObservedInstance::launchTemplateVersion)
          .filter(Objects::nonNull)
          .forEach(keep::add);
      List<Long> versions =
          LongStream.rangeClosed(from, upTo).boxed().filter(v -> !keep.contains(v)).toList();
      if (!versions.isEmpty()) {
        actions.add(
            new Action.DeleteLaunchTemplateVersions(
                lt.id(),
                versions,
                "prune versions "
                    + from
                    + ".."
                    + upTo
                    + " (keep the latest "
                    + KEEP_VERSIONS
                    + " and those in use)"));
      }
      pruned = upTo;
    }
    return new Memory(memory.appliedDesired(), failed, pruned);
  }

  /**
   * The load balancer over its subnets and security groups, with one HTTP listener on the spec's
   * port forwarding to the app's target group; removed when the spec drops it.
   */
  private static void loadBalancer(
      DesiredApp d,
      ObservedApp o,
      Optional<String> tgArn,
      List<Action> actions,
      List<String> blocked) {
    Optional<ObservedLoadBalancer> seen = o.loadBalancer();
    if (d.loadBalancer().isEmpty()) {
      seen.ifPresent(lb -> removeLoadBalancer(lb, "spec.loadBalancer removed", actions));
      return;
    }
    var want = d.loadBalancer().get();
    var config =
        new LoadBalancerConfig(
            d.names().loadBalancer(), want.scheme(), want.subnetIds(), want.securityGroupIds());
    if (seen.isEmpty()) {
      actions.add(new Action.CreateLoadBalancer(config, d.tags(), "load balancer does not exist"));
      return;
    }
    ObservedLoadBalancer lb = seen.get();
    if (!want.scheme().equals(lb.config().scheme())) {
      blocked.add(
          "load balancer "
              + lb.config().name()
              + " is "
              + lb.config().scheme()
              + "; its scheme cannot change in place (remove spec.loadBalancer, then add it back)");
    }
    if (!lb.config().subnetIds().equals(config.subnetIds())) {
      actions.add(
          new Action.SetLoadBalancerSubnets(
              lb.arn(),
              config.subnetIds(),
              "load balancer subnets " + lb.config().subnetIds() + " -> " + config.subnetIds()));
    }
    if (!config.securityGroupIds().isEmpty()
        && !lb.config().securityGroupIds().equals(config.securityGroupIds())) {
      actions.add(
          new Action.SetLoadBalancerSecurityGroups(
              lb.arn(),
              config.securityGroupIds(),
              "load balancer security groups "
                  + lb.config().securityGroupIds()
                  + " -> "
                  + config.securityGroupIds()));
    }
    if (tgArn.isEmpty()) {
      return;
    }
    Optional<ObservedLoadBalancer.Listener> listener =
        lb.listeners().stream().filter(l -> l.port() == want.port()).findFirst();
    if (listener.isEmpty()) {
      actions.add(
          new Action.CreateListener(
              lb.arn(), want.port(), tgArn.get(), d.tags(), "no listener on port " + want.port()));
    } else if (!tgArn.get().equals(listener.get().targetGroupArn())) {
      actions.add(
          new Action.SetListenerTarget(
              listener.get().arn(),
              tgArn.get(),
              "listener on port "
                  + want.port()
                  + " forwards to "
                  + listener.get().targetGroupArn()));
    }
    lb.listeners().stream()
        .filter(l -> l.port() != want.port())
        .forEach(
            l ->
                actions.add(
                    new Action.DeleteListener(
                        l.arn(), "listener on port " + l.port() + " is not in the spec")));
  }

  private static void removeLoadBalancer(
      ObservedLoadBalancer lb, String reason, List<Action> actions) {
    lb.listeners().forEach(l -> actions.add(new Action.DeleteListener(l.arn(), reason)));
    actions.add(new Action.DeleteLoadBalancer(lb.arn(), reason));
  }

  /** Deletion in dependency order; resources owned by someone else are left alone. */
  public static Plan planDeletion(String ownerKey, AppNames names, ObservedApp o) {
    var actions = new ArrayList<Action>();
    var waiting = new ArrayList<String>();
    var conflicts = conflicts(ownerKey, o, names);
    Optional<ObservedGroup> group = o.group().filter(g -> owned(ownerKey, g.tags()));
    if (group.isPresent()) {
      if (group.get().deleting()) {
        waiting.add("Auto Scaling Group " + group.get().name() + " is being deleted");
      } else {
        if (o.policy().isPresent()) {
          actions.add(
              new Action.DeleteScalingPolicy(
                  names.autoScalingGroup(), names.policy(), "app deleted"));
        }
        actions.add(new Action.DeleteGroup(group.get().name(), "app deleted"));
      }
    } else {
      o.loadBalancer()
          .filter(lb -> owned(ownerKey, lb.tags()))
          .ifPresent(lb -> removeLoadBalancer(lb, "app deleted", actions));
      // The target group cannot go while the group or a listener still uses it.
      o.targetGroup()
          .filter(tg -> owned(ownerKey, tg.tags()))
          .ifPresent(tg -> actions.add(new Action.DeleteTargetGroup(tg.arn(), "app deleted")));
      o.launchTemplate()
          .filter(lt -> owned(ownerKey, lt.tags()))
          .ifPresent(lt -> actions.add(new Action.DeleteLaunchTemplate(lt.id(), "app deleted")));
    }
    return new Plan(actions, conflicts, List.of(), waiting, Memory.NONE);
  }

  private record LtVersion(String id, long version) {}

  private static Optional<LtVersion> launchTemplate(
      DesiredApp d, Optional<ObservedLaunchTemplate> observed, List<Action> actions) {
    if (observed.isEmpty()) {
      actions.add(
          new Action.CreateLaunchTemplate(
              d.names().launchTemplate(),
              d.launchTemplate(),
              d.tags(),
              "launch template does not exist"));
      return Optional.empty();
    }
    ObservedLaunchTemplate lt = observed.get();
    if (!d.launchTemplate().equals(lt.latestData())) {
      List<String> diffs =
          lt.latestData() == null
              ? List.of("latest version unreadable")
              : d.launchTemplate().differences(lt.latestData());
      actions.add(
          new Action.CreateLaunchTemplateVersion(
              lt.id(), lt.latestVersion(), d.launchTemplate(), String.join("; ", diffs)));
      return Optional.empty();
    }
    return Optional.of(new LtVersion(lt.id(), lt.latestVersion()));
  }

  private static Optional<String> targetGroup(
      DesiredApp d, ObservedApp o, List<Action> actions, List<String> blocked) {
    if (d.targetGroup().isEmpty()) {
      return Optional.empty();
    }
    var shape = d.targetGroup().get();
    String vpc = o.subnets().stream().map(Subnet::vpcId).findFirst().orElse(null);
    if (o.subnets().stream().map(Subnet::vpcId).distinct().count() > 1) {
      blocked.add(
          "spec.subnetIds lie in more than one VPC; a group and its target group need one VPC");
      return Optional.empty();
    }
    var desired =
        new TargetGroupConfig(
            d.names().targetGroup(), shape.protocol(), shape.port(), vpc, shape.healthCheck());
    if (o.targetGroup().isEmpty()) {
      actions.add(new Action.CreateTargetGroup(desired, d.tags(), "target group does not exist"));
      return Optional.empty();
    }
    ObservedTargetGroup tg = o.targetGroup().get();
    TargetGroupConfig seen = tg.config();
    if (!Objects.equals(seen.protocol(), desired.protocol())
        || seen.port() != desired.port()
        || !Objects.equals(seen.vpcId(), desired.vpcId())) {
      blocked.add(
          "target group "
              + seen.name()
              + " has "
              + seen.protocol()
              + ":"
              + seen.port()
              + " in "
              + seen.vpcId()
              + "; protocol, port and VPC cannot change in place (delete and re-create the app)");
    }
    if (!Objects.equals(seen.healthCheck(), desired.healthCheck())) {
      actions.add(
          new Action.ModifyTargetGroupHealthCheck(
              tg.arn(),
              desired.healthCheck(),
              "health check " + seen.healthCheck() + " -> " + desired.healthCheck()));
    }
    return Optional.of(tg.arn());
  }

  /** Min, max and subnets always; desired only as the spec asks (the version: see rollout). */
  private static Integer updateGroup(
      DesiredApp d, ObservedGroup g, Integer appliedDesired, List<Action> actions) {
    var reasons = new ArrayList<String>();
    Integer min = null;
    Integer max = null;
    Integer desired = null;
    List<String> subnets = null;
    HealthCheckType healthCheckType = null;
    if (g.min() != d.min()) {
      min = d.min();
      reasons.add("min " + g.min() + " -> " + d.min());
    }
    if (g.max() != d.max()) {
      max = d.max();
      reasons.add("max " + g.max() + " -> " + d.max());
    }
    Integer applied = appliedDesired;
    if (d.desired() != null && !d.desired().equals(appliedDesired)) {
      applied = d.desired();
      if (g.desired() != d.desired()) {
        desired = d.desired();
        reasons.add("desired " + g.desired() + " -> " + d.desired() + " (spec changed)");
      }
    } else if (d.desired() == null) {
      applied = null;
    }
    if (desired == null && (g.desired() < d.min() || g.desired() > d.max())) {
      desired = Math.max(d.min(), Math.min(d.max(), g.desired()));
      reasons.add("desired " + g.desired() + " -> " + desired + " (kept within min and max)");
    }
    if (!g.subnetIds().equals(d.subnetIds())) {
      subnets = d.subnetIds();
      reasons.add("subnets " + g.subnetIds() + " -> " + d.subnetIds());
    }
    HealthCheckType wantedCheck = healthCheckType(d);
    if (wantedCheck != g.healthCheckType()) {
      healthCheckType = wantedCheck;
      reasons.add("health check type " + g.healthCheckType() + " -> " + wantedCheck);
    }
    var update = new GroupUpdate(g.name(), min, max, desired, subnets, null, null, healthCheckType);
    if (!update.isEmpty()) {
      actions.add(new Action.UpdateGroup(update, String.join("; ", reasons)));
    }
    return applied;
  }

  /** ELB health checks when the group registers in a target group, so unhealthy targets go. */
  static HealthCheckType healthCheckType(DesiredApp d) {
    return d.targetGroup().isPresent() ? HealthCheckType.ELB : HealthCheckType.EC2;
  }

  private static void attachments(
      DesiredApp d, ObservedGroup g, Optional<String> tgArn, List<Action> actions) {
    List<String> wanted = tgArn.stream().toList();
    List<String> missing = wanted.stream().filter(a -> !g.targetGroupArns().contains(a)).toList();
    List<String> extra = g.targetGroupArns().stream().filter(a -> !wanted.contains(a)).toList();
    if (!missing.isEmpty()) {
      actions.add(
          new Action.AttachTargetGroups(
              g.name(), missing, "target group not attached to the group"));
    }
    if (!extra.isEmpty()) {
      actions.add(new Action.DetachTargetGroups(g.name(), extra, "target groups not in the spec"));
    }
  }

  private static void policy(DesiredApp d, ObservedApp o, List<Action> actions) {
    String group = d.names().autoScalingGroup();
    if (d.policy().isPresent()) {
      var want = d.policy().get();
      if (o.policy().isEmpty()) {
        actions.add(new Action.PutScalingPolicy(group, want, "scaling policy does not exist"));
      } else if (!samePolicy(want, o.policy().get())) {
        actions.add(
            new Action.PutScalingPolicy(
                group, want, "scaling policy " + o.policy().get() + " -> " + want));
      }
    } else if (o.policy().isPresent()) {
      actions.add(
          new Action.DeleteScalingPolicy(group, d.names().policy(), "spec.scaling removed"));
    }
  }

  private static boolean samePolicy(
      io.scalableapp.operator.cloud.ScalingPolicyConfig want,
      io.scalableapp.operator.cloud.ScalingPolicyConfig seen) {
    return Double.compare(want.targetCpuUtilization(), seen.targetCpuUtilization()) == 0
        && want.disableScaleIn() == seen.disableScaleIn()
        // Unset warmup: AWS's (or the group's) default counts as equal.
        && (want.estimatedWarmupSeconds() == null
            || want.estimatedWarmupSeconds().equals(seen.estimatedWarmupSeconds()));
  }

  static List<String> conflicts(String ownerKey, ObservedApp o, AppNames names) {
    var out = new ArrayList<String>();
    o.launchTemplate()
        .filter(lt -> !owned(ownerKey, lt.tags()))
        .ifPresent(lt -> out.add(conflict("launch template", lt.name(), lt.tags())));
    o.targetGroup()
        .filter(tg -> !owned(ownerKey, tg.tags()))
        .ifPresent(tg -> out.add(conflict("target group", tg.config().name(), tg.tags())));
    o.group()
        .filter(g -> !owned(ownerKey, g.tags()))
        .ifPresent(g -> out.add(conflict("Auto Scaling Group", g.name(), g.tags())));
    o.loadBalancer()
        .filter(lb -> !owned(ownerKey, lb.tags()))
        .ifPresent(lb -> out.add(conflict("load balancer", lb.config().name(), lb.tags())));
    return out;
  }

  static boolean owned(String ownerKey, Map<String, String> tags) {
    return Tags.owner(tags).map(ownerKey::equals).orElse(false);
  }

  private static String conflict(String kind, String name, Map<String, String> tags) {
    return kind
        + " "
        + name
        + " exists but is "
        + Tags.owner(tags).map(owner -> "owned by " + owner).orElse("not tagged " + Tags.OWNER)
        + "; it is left untouched";
  }
}
