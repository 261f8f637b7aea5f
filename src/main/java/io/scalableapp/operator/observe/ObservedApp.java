package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import java.util.List;
import java.util.Optional;

/**
 * The AWS state of one app. Empty optionals mean AWS has no such resource.
 *
 * @param subnets the spec's subnets as AWS knows them; empty when not observed (deletion)
 * @param refreshes the group's instance refreshes, newest first; read only while a rollout may be
 *     due or running (the group or an instance is off the template's latest version)
 * @param activities the group's latest scaling activities, newest first; read only while fewer
 *     instances are InService than desired (to say why)
 */
public record ObservedApp(
    List<Subnet> subnets,
    Optional<ObservedLaunchTemplate> launchTemplate,
    Optional<ObservedTargetGroup> targetGroup,
    Optional<ObservedGroup> group,
    Optional<ScalingPolicyConfig> policy,
    List<ObservedRefresh> refreshes,
    Optional<ObservedLoadBalancer> loadBalancer,
    List<ScalingActivity> activities) {

  /** Without scaling activities. */
  public ObservedApp(
      List<Subnet> subnets,
      Optional<ObservedLaunchTemplate> launchTemplate,
      Optional<ObservedTargetGroup> targetGroup,
      Optional<ObservedGroup> group,
      Optional<ScalingPolicyConfig> policy,
      List<ObservedRefresh> refreshes,
      Optional<ObservedLoadBalancer> loadBalancer) {
    this(subnets, launchTemplate, targetGroup, group, policy, refreshes, loadBalancer, List.of());
  }

  /** Without instance refreshes (not read, or none) and without a load balancer. */
  public ObservedApp(
      List<Subnet> subnets,
      Optional<ObservedLaunchTemplate> launchTemplate,
      Optional<ObservedTargetGroup> targetGroup,
      Optional<ObservedGroup> group,
      Optional<ScalingPolicyConfig> policy) {
    this(subnets, launchTemplate, targetGroup, group, policy, List.of());
  }

  /** Without a load balancer. */
  public ObservedApp(
      List<Subnet> subnets,
      Optional<ObservedLaunchTemplate> launchTemplate,
      Optional<ObservedTargetGroup> targetGroup,
      Optional<ObservedGroup> group,
      Optional<ScalingPolicyConfig> policy,
      List<ObservedRefresh> refreshes) {
    this(subnets, launchTemplate, targetGroup, group, policy, refreshes, Optional.empty());
  }

  public ObservedApp withLaunchTemplate(ObservedLaunchTemplate lt) {
    return new ObservedApp(
        subnets, Optional.of(lt), targetGroup, group, policy, refreshes, loadBalancer, activities);
  }

  public ObservedApp withGroup(ObservedGroup g) {
    return new ObservedApp(
        subnets,
        launchTemplate,
        targetGroup,
        Optional.of(g),
        policy,
        refreshes,
        loadBalancer,
        activities);
  }

  public ObservedApp withRefreshes(List<ObservedRefresh> r) {
    return new ObservedApp(
        subnets, launchTemplate, targetGroup, group, policy, r, loadBalancer, activities);
  }

  public ObservedApp withLoadBalancer(Optional<ObservedLoadBalancer> lb) {
    return new ObservedApp(
        subnets, launchTemplate, targetGroup, group, policy, refreshes, lb, activities);
  }

  public static ObservedApp nothing() {
    return new ObservedApp(
        List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** AWS's latest launch failure, while the group is short of instances: the newest activity. */
  public Optional<ScalingActivity> launchFailure() {
    return activities.stream().findFirst().filter(ScalingActivity::failed);
  }

  /** The refresh AWS is running now, if any. */
  public Optional<ObservedRefresh> activeRefresh() {
    return refreshes.stream().filter(ObservedRefresh::active).findFirst();
  }

  public boolean isEmpty() {
    return launchTemplate.isEmpty()
        && targetGroup.isEmpty()
        && group.isEmpty()
        && loadBalancer.isEmpty();
  }
}
