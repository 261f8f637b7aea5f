package io.scalableapp.operator.cloud;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Auto Scaling Group as AWS reports it; subnets and target group ARNs sorted.
 *
 * @param launchTemplateVersion the numbered version the group launches; null if it names none (e.g.
 *     $Latest) or uses no launch template
 * @param deleting AWS is deleting the group ("Delete in progress")
 * @param unpropagatedTags keys of its tags that do not propagate to the instances it launches
 * @param instancesPolicy its mixed instances policy (the launch template is in {@code
 *     launchTemplateId} and {@code launchTemplateVersion}); null: the template alone
 * @param warmPool its warm pool; null: none
 */
public record ObservedGroup(
    String name,
    String arn,
    int min,
    int max,
    int desired,
    List<String> subnetIds,
    String launchTemplateId,
    Long launchTemplateVersion,
    List<String> targetGroupArns,
    HealthCheckType healthCheckType,
    Map<String, String> tags,
    List<ObservedInstance> instances,
    boolean deleting,
    Set<String> unpropagatedTags,
    InstancesPolicy instancesPolicy,
    boolean capacityRebalance,
    ObservedWarmPool warmPool) {

  /** A group that launches its launch template alone, without a warm pool. */
  public ObservedGroup(
      String name,
      String arn,
      int min,
      int max,
      int desired,
      List<String> subnetIds,
      String launchTemplateId,
      Long launchTemplateVersion,
      List<String> targetGroupArns,
      HealthCheckType healthCheckType,
      Map<String, String> tags,
      List<ObservedInstance> instances,
      boolean deleting,
      Set<String> unpropagatedTags) {
    this(
        name,
        arn,
        min,
        max,
        desired,
        subnetIds,
        launchTemplateId,
        launchTemplateVersion,
        targetGroupArns,
        healthCheckType,
        tags,
        instances,
        deleting,
        unpropagatedTags,
        null,
        false,
        null);
  }

  public ObservedGroup {
    unpropagatedTags = Set.copyOf(unpropagatedTags);
    subnetIds = Ids.sorted(subnetIds);
    targetGroupArns = Ids.sorted(targetGroupArns);
    tags = Map.copyOf(tags);
    instances = List.copyOf(instances);
  }

  /** Whether its launch configuration may buy Spot: only then is EC2 asked which instances are. */
  public boolean buysSpot() {
    return instancesPolicy != null && instancesPolicy.usesSpot();
  }

  /** The group with its instances marked Spot or On-Demand as EC2 reports them. */
  public ObservedGroup withSpot(java.util.Set<String> spotIds) {
    return with(
        instances.stream().map(i -> i.withSpot(spotIds.contains(i.id()))).toList(), warmPool);
  }

  /** The group with its warm pool as read on its own (with its instances by state). */
  public ObservedGroup withWarmPool(ObservedWarmPool pool) {
    return with(instances, pool);
  }

  private ObservedGroup with(List<ObservedInstance> instances, ObservedWarmPool pool) {
    return new ObservedGroup(
        name,
        arn,
        min,
        max,
        desired,
        subnetIds,
        launchTemplateId,
        launchTemplateVersion,
        targetGroupArns,
        healthCheckType,
        tags,
        instances,
        deleting,
        unpropagatedTags,
        instancesPolicy,
        capacityRebalance,
        pool);
  }

  public long inService() {
    return instances.stream().filter(ObservedInstance::inService).count();
  }
}
