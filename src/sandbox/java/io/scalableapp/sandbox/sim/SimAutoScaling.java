package io.scalableapp.sandbox.sim;

import static io.scalableapp.sandbox.sim.World.error;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * EC2 Auto Scaling: groups and their policies and refreshes through the port; as time passes,
 * {@link Fleet} launches, replaces and terminates their instances and {@link Refreshes} runs their
 * instance refreshes.
 */
final class SimAutoScaling implements AutoScalingGroups, World.Service {
  private final World world;
  private final SimLaunchTemplates templates;
  private final SimTargetGroups targetGroups;
  private final Fleet fleet;
  private final Refreshes refreshes;
  private final FaultState faults;
  private final Map<String, SimGroup> groups = new LinkedHashMap<>();

  SimAutoScaling(
      World world, SimLaunchTemplates templates, SimTargetGroups targetGroups, FaultState faults) {
    this.world = world;
    this.templates = templates;
    this.targetGroups = targetGroups;
    this.faults = faults;
    this.fleet = new Fleet(world, templates, targetGroups, faults);
    this.refreshes = new Refreshes(world.settings(), fleet);
  }

  @Override
  public synchronized void step(Instant t) {
    for (SimGroup g : List.copyOf(groups.values())) {
      fleet.lifecycle(g, t);
      if (g.deleting) {
        if (g.instances.isEmpty()) {
          groups.remove(g.name);
        }
        continue;
      }
      fleet.warmPool(g, t);
      fleet.spotInterruptions(g, t);
      fleet.replaceUnhealthy(g, t);
      refreshes.step(g, t);
      fleet.capacity(g, t, refreshes.surge(g));
      fleet.scale(g, t);
    }
  }

  /** The group, to look at; empty when there is none. */
  synchronized Optional<SimGroup> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  synchronized List<String> names() {
    return List.copyOf(groups.keySet());
  }

  Fleet fleet() {
    return fleet;
  }

  /** AWS refuses a launch configuration whose types it does not offer in the group's zones. */
  private void offered(String templateId, long version, InstancesPolicy p, String operation) {
    var types = new ArrayList<String>();
    templates.version(templateId, version).map(d -> d.instanceType()).ifPresent(types::add);
    if (p != null) {
      types.addAll(p.typeNames());
    }
    for (String type : types) {
      String refusal = faults.typeRefusal(type);
      if (refusal != null) {
        throw error(Kind.INVALID_REQUEST, "ValidationError", refusal, operation);
      }
    }
  }

  private SimGroup existing(String name, String operation) {
    SimGroup g = groups.get(name);
    if (g == null) {
      throw error(
          Kind.NOT_FOUND,
          "ValidationError",
          "AutoScalingGroup name not found - AutoScalingGroup '" + name + "' not found",
          operation);
    }
    return g;
  }

  @Override
  public Optional<ObservedGroup> find(String name) {
    world.tick();
    synchronized (this) {
      return Optional.ofNullable(groups.get(name)).map(SimGroup::observed);
    }
  }

  @Override
  public List<ObservedGroup> listManaged() {
    world.tick();
    synchronized (this) {
      return groups.values().stream()
          .filter(g -> Tags.MANAGER.equals(g.tags.get(Tags.MANAGED_BY)))
          .map(SimGroup::observed)
          .toList();
    }
  }

  @Override
  public Map<String, List<ScalingPolicyConfig>> listPolicies() {
    world.tick();
    synchronized (this) {
      var byGroup = new TreeMap<String, List<ScalingPolicyConfig>>();
      groups.values().stream()
          .filter(g -> g.policy != null)
          .forEach(g -> byGroup.put(g.name, List.of(g.policy)));
      return byGroup;
    }
  }

  @Override
  public void create(GroupConfig c, Map<String, String> tags) {
    world.tick();
    synchronized (this) {
      if (groups.containsKey(c.name())) {
        throw error(
            Kind.ALREADY_EXISTS,
            "AlreadyExists",
            "AutoScalingGroup by this name already exists - A group with the name "
                + c.name()
                + " already exists",
            "CreateAutoScalingGroup");
      }
      templates.requireVersion(
          c.launchTemplateId(), c.launchTemplateVersion(), "CreateAutoScalingGroup");
      offered(
          c.launchTemplateId(), c.launchTemplateVersion(), c.instances(), "CreateAutoScalingGroup");
      for (String id : c.subnetIds()) {
        if (world.subnet(id).isEmpty()) {
          throw error(
              Kind.INVALID_REQUEST,
              "ValidationError",
              "The subnet ID '" + id + "' does not exist",
              "CreateAutoScalingGroup");
        }
      }
      var g = new SimGroup();
      g.name = c.name();
      g.arn =
          "arn:aws:autoscaling:"
              + world.region()
              + ":"
              + World.ACCOUNT
              + ":autoScalingGroup:"
              + world.hex(8)
              + ":autoScalingGroupName/"
              + c.name();
      g.min = c.min();
      g.max = c.max();
      g.desired = c.desired();
      g.subnetIds = new ArrayList<>(c.subnetIds());
      g.templateId = c.launchTemplateId();
      g.version = c.launchTemplateVersion();
      g.targetGroupArns = new ArrayList<>(c.targetGroupArns());
      g.healthCheckType = c.healthCheckType();
      g.grace = c.healthCheckGracePeriodSeconds();
      g.tags = new LinkedHashMap<>(tags);
      g.instancesPolicy = c.instances();
      g.capacityRebalance = c.capacityRebalance();
      c.lifecycleHooks().forEach(h -> g.hooks.put(h.name(), h));
      groups.put(g.name, g);
      targetGroups.attach(g.name, g.targetGroupArns);
    }
  }

  @Override
  public void retag(String groupName, TagChange change) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "CreateOrUpdateTags");
      g.tags.putAll(change.set());
      change.remove().forEach(g.tags::remove);
    }
  }

  @Override
  public void update(GroupUpdate u) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(u.name(), "UpdateAutoScalingGroup");
      if (u.launchTemplateVersion() != null) {
        offered(
            u.launchTemplateId(),
            u.launchTemplateVersion(),
            u.instances(),
            "UpdateAutoScalingGroup");
      }
      int min = u.min() == null ? g.min : u.min();
      int max = u.max() == null ? g.max : u.max();
      if (min > max) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            "Max bound, " + max + ", must be greater than or equal to min bound, " + min,
            "UpdateAutoScalingGroup");
      }
      g.min = min;
      g.max = max;
      // As AWS does: a new min or max moves desired capacity inside the bounds.
      g.desired = Math.max(min, Math.min(max, u.desired() == null ? g.desired : u.desired()));
      if (u.subnetIds() != null) {
        g.subnetIds = new ArrayList<>(u.subnetIds());
      }
      if (u.launchTemplateVersion() != null) {
        g.templateId = u.launchTemplateId();
        g.version = u.launchTemplateVersion();
        g.instancesPolicy = u.instances();
      }
      if (u.capacityRebalance() != null) {
        g.capacityRebalance = u.capacityRebalance();
      }
      if (u.healthCheckType() != null) {
        g.healthCheckType = u.healthCheckType();
      }
    }
  }

  @Override
  public void attachTargetGroups(String groupName, List<String> arns) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "AttachLoadBalancerTargetGroups");
      List<String> added = arns.stream().filter(a -> !g.targetGroupArns.contains(a)).toList();
      g.targetGroupArns.addAll(added);
      targetGroups.attach(groupName, added);
      // As AWS does: the group's instances in service register in the new target groups.
      g.inService().forEach(i -> targetGroups.register(added, i.id, world.now()));
    }
  }

  @Override
  public void detachTargetGroups(String groupName, List<String> arns) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "DetachLoadBalancerTargetGroups");
      g.targetGroupArns.removeAll(arns);
      targetGroups.detach(groupName, arns);
      g.instances.forEach(i -> targetGroups.deregister(arns, i.id));
    }
  }

  @Override
  public void delete(String groupName) {
    world.tick();
    synchronized (this) {
      SimGroup g = groups.get(groupName);
      if (g == null || g.deleting) {
        return;
      }
      g.deleting = true;
      g.policy = null;
      targetGroups.detach(groupName, g.targetGroupArns);
      g.targetGroupArns.clear();
      g.live().forEach(i -> fleet.terminate(i, world.now()));
      if (g.instances.isEmpty()) {
        groups.remove(groupName);
      }
    }
  }

  @Override
  public List<LifecycleHookConfig> lifecycleHooks(String groupName) {
    world.tick();
    synchronized (this) {
      return List.copyOf(existing(groupName, "DescribeLifecycleHooks").hooks.values());
    }
  }

  @Override
  public void putLifecycleHook(String groupName, LifecycleHookConfig hook) {
    world.tick();
    synchronized (this) {
      if (hook.heartbeatTimeoutSeconds() < LifecycleHookConfig.MIN_TIMEOUT
          || hook.heartbeatTimeoutSeconds() > LifecycleHookConfig.MAX_TIMEOUT) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            "Heartbeat timeout must be between 30 and 7200 seconds",
            "PutLifecycleHook");
      }
      existing(groupName, "PutLifecycleHook").hooks.put(hook.name(), hook);
    }
  }

  @Override
  public void deleteLifecycleHook(String groupName, String hookName) {
    world.tick();
    synchronized (this) {
      SimGroup g = groups.get(groupName);
      if (g != null) {
        g.hooks.remove(hookName);
      }
    }
  }

  @Override
  public void putWarmPool(String groupName, WarmPoolConfig config) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "PutWarmPool");
      if (g.instancesPolicy != null) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            "You can't add a warm pool to an Auto Scaling group that has a mixed instances policy"
                + " or a launch template or launch configuration that requests Spot Instances.",
            "PutWarmPool");
      }
      if (g.warmPoolDeleting) {
        throw error(
            Kind.IN_USE,
            "ResourceInUse",
            "The warm pool of " + groupName + " is being deleted",
            "PutWarmPool");
      }
      g.warmPool = config;
    }
  }

  @Override
  public void deleteWarmPool(String groupName) {
    world.tick();
    synchronized (this) {
      SimGroup g = groups.get(groupName);
      if (g != null && g.warmPool != null) {
        g.warmPoolDeleting = true;
      }
    }
  }

  @Override
  public Optional<ObservedWarmPool> warmPool(String groupName) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "DescribeWarmPool");
      return g.warmPool == null ? Optional.empty() : Optional.of(g.observedWarmPool());
    }
  }

  @Override
  public Optional<ScalingPolicyConfig> findPolicy(String groupName, String policyName) {
    world.tick();
    synchronized (this) {
      return Optional.ofNullable(groups.get(groupName))
          .map(g -> g.policy)
          .filter(p -> p.name().equals(policyName));
    }
  }

  @Override
  public void putPolicy(String groupName, ScalingPolicyConfig policy) {
    world.tick();
    synchronized (this) {
      existing(groupName, "PutScalingPolicy").policy = policy;
    }
  }

  @Override
  public void deletePolicy(String groupName, String policyName) {
    world.tick();
    synchronized (this) {
      Optional.ofNullable(groups.get(groupName))
          .filter(g -> g.policy != null && g.policy.name().equals(policyName))
          .ifPresent(g -> g.policy = null);
    }
  }

  @Override
  public List<ScalingActivity> activities(String groupName) {
    world.tick();
    synchronized (this) {
      return existing(groupName, "DescribeScalingActivities").activities.stream()
          .limit(ACTIVITY_HISTORY)
          .toList();
    }
  }

  @Override
  public List<ObservedRefresh> refreshes(String groupName) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "DescribeInstanceRefreshes");
      return g.refreshes.stream()
          .limit(REFRESH_HISTORY)
          .map(r -> r.observed(r.active() ? refreshes.toReplace(g, r).size() : 0))
          .toList();
    }
  }

  @Override
  public String startRefresh(
      String groupName,
      String templateId,
      long version,
      InstancesPolicy instances,
      RefreshPreferences prefs) {
    world.tick();
    synchronized (this) {
      SimGroup g = existing(groupName, "StartInstanceRefresh");
      offered(templateId, version, instances, "StartInstanceRefresh");
      if (g.activeRefresh().isPresent()) {
        throw error(
            Kind.IN_USE,
            "InstanceRefreshInProgress",
            "An Instance Refresh is already in progress and blocks the execution of this Instance"
                + " Refresh.",
            "StartInstanceRefresh");
      }
      if (!prefs.violations().isEmpty()) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            String.join("; ", prefs.violations()),
            "StartInstanceRefresh");
      }
      var r = new SimRefresh();
      r.id =
          UUID.nameUUIDFromBytes((groupName + world.hex(8)).getBytes(StandardCharsets.UTF_8))
              .toString();
      r.templateId = templateId;
      r.target = version;
      r.current = version;
      r.previous = g.version;
      r.targetPolicy = instances;
      r.currentPolicy = instances;
      r.previousPolicy = g.instancesPolicy;
      r.prefs = prefs;
      r.start = world.now();
      g.refreshes.add(0, r);
      return r.id;
    }
  }

  @Override
  public void cancelRefresh(String groupName) {
    world.tick();
    synchronized (this) {
      existing(groupName, "CancelInstanceRefresh")
          .activeRefresh()
          .filter(r -> r.status == RefreshStatus.Pending || r.status == RefreshStatus.InProgress)
          .ifPresent(r -> r.status = RefreshStatus.Cancelling);
    }
  }

  @Override
  public void rollbackRefresh(String groupName) {
    world.tick();
    synchronized (this) {
      SimRefresh r =
          existing(groupName, "RollbackInstanceRefresh")
              .activeRefresh()
              .filter(x -> x.status == RefreshStatus.InProgress)
              .orElseThrow(
                  () ->
                      error(
                          Kind.INVALID_REQUEST,
                          "ActiveInstanceRefreshNotFound",
                          "No in progress or pending Instance Refresh found for Auto Scaling group "
                              + groupName,
                          "RollbackInstanceRefresh"));
      refreshes.rollBack(r, "Rollback requested");
    }
  }
}
