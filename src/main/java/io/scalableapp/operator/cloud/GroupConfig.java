package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * An Auto Scaling Group to create: launch template by id and numbered version (never $Latest),
 * subnets (sorted), bounds, the target groups it registers its instances in (sorted), and what its
 * health checks replace instances on.
 *
 * @param instances the mixed instances policy over the launch template; null: the template alone
 * @param capacityRebalance replace Spot instances AWS says are at elevated risk of interruption
 * @param lifecycleHooks hooks the group has from its creation on (so that its first instances wait
 *     too)
 */
public record GroupConfig(
    String name,
    String launchTemplateId,
    long launchTemplateVersion,
    int min,
    int max,
    int desired,
    List<String> subnetIds,
    List<String> targetGroupArns,
    HealthCheckType healthCheckType,
    int healthCheckGracePeriodSeconds,
    InstancesPolicy instances,
    boolean capacityRebalance,
    List<LifecycleHookConfig> lifecycleHooks) {

  /** A group that launches its launch template alone, On-Demand. */
  public GroupConfig(
      String name,
      String launchTemplateId,
      long launchTemplateVersion,
      int min,
      int max,
      int desired,
      List<String> subnetIds,
      List<String> targetGroupArns,
      HealthCheckType healthCheckType,
      int healthCheckGracePeriodSeconds) {
    this(
        name,
        launchTemplateId,
        launchTemplateVersion,
        min,
        max,
        desired,
        subnetIds,
        targetGroupArns,
        healthCheckType,
        healthCheckGracePeriodSeconds,
        null,
        false,
        List.of());
  }

  public GroupConfig {
    lifecycleHooks = lifecycleHooks == null ? List.of() : List.copyOf(lifecycleHooks);
    subnetIds = Ids.sorted(subnetIds);
    targetGroupArns = Ids.sorted(targetGroupArns);
  }
}
