package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An Auto Scaling Group's state; changed only under the Auto Scaling service's lock. */
final class SimGroup {
  /** Activities AWS keeps per group (the API reads fewer). */
  static final int ACTIVITIES_KEPT = 20;

  String name;
  String arn;
  int min;
  int max;
  int desired;
  List<String> subnetIds;
  String templateId;
  long version;
  List<String> targetGroupArns;
  HealthCheckType healthCheckType;
  int grace;
  Map<String, String> tags;
  InstancesPolicy instancesPolicy;
  boolean capacityRebalance;
  WarmPoolConfig warmPool;
  boolean warmPoolDeleting;

  /** Its lifecycle hooks, by name. */
  final Map<String, LifecycleHookConfig> hooks = new java.util.LinkedHashMap<>();

  /** The hook instances wait on when making this transition, if any. */
  Optional<LifecycleHookConfig> hook(String transition) {
    return hooks.values().stream().filter(h -> h.transition().equals(transition)).findFirst();
  }

  /** Warm instances: launched and initialised, not in the group's capacity. */
  final List<SimInstance> warm = new ArrayList<>();

  final List<SimInstance> instances = new ArrayList<>();
  boolean deleting;
  ScalingPolicyConfig policy;
  Instant lastScaling = Instant.EPOCH;
  Instant nextMetric;
  final List<SimRefresh> refreshes = new ArrayList<>();
  final List<ScalingActivity> activities = new ArrayList<>();

  void activity(String status, String description, String message, Instant t) {
    activities.add(0, new ScalingActivity(status, description, message, t));
    if (activities.size() > ACTIVITIES_KEPT) {
      activities.remove(activities.size() - 1);
    }
  }

  Optional<SimRefresh> activeRefresh() {
    return refreshes.stream().filter(SimRefresh::active).findFirst();
  }

  /** Instances that count: not on their way out. */
  List<SimInstance> live() {
    return instances.stream().filter(i -> !i.state.leaving()).toList();
  }

  /**
   * Live instances that count toward capacity: not one being replaced after a rebalance
   * recommendation (its replacement counts instead).
   */
  List<SimInstance> counted() {
    return live().stream().filter(i -> i.replacement == null).toList();
  }

  List<SimInstance> inService() {
    return instances.stream().filter(i -> i.state == LifecycleState.InService).toList();
  }

  ObservedGroup observed() {
    return new ObservedGroup(
        name,
        arn,
        min,
        max,
        desired,
        subnetIds,
        templateId,
        version,
        targetGroupArns,
        healthCheckType,
        tags,
        instances.stream()
            .map(i -> new ObservedInstance(i.id, i.az, i.state, i.healthy, i.type, i.version))
            .toList(),
        deleting,
        // Every tag propagates to instances at launch here, as the operator always asks.
        Set.of(),
        instancesPolicy,
        capacityRebalance,
        warmPool == null
            ? null
            : new ObservedWarmPool(warmPool, warm.size(), warmPoolDeleting, Map.of()));
  }

  /** The warm pool with its instances counted by lifecycle state. */
  ObservedWarmPool observedWarmPool() {
    var states = new java.util.TreeMap<String, Integer>();
    warm.forEach(i -> states.merge(i.warmState, 1, Integer::sum));
    return new ObservedWarmPool(warmPool, warm.size(), warmPoolDeleting, states);
  }
}
