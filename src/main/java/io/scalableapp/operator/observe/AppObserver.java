package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.plan.AppNames;
import java.util.List;
import java.util.Optional;

/**
 * Reads the AWS state of one app: the only place the reconciler reads AWS. It never changes
 * anything. Batched reads across many apps can replace it without touching the planner.
 */
public class AppObserver {
  private final CloudProvider clouds;

  public AppObserver(CloudProvider clouds) {
    this.clouds = clouds;
  }

  /**
   * The app's resources by their deterministic names, and the given subnets (whose lookup fails
   * with INVALID_REQUEST when AWS does not know one).
   */
  public ObservedApp observe(String region, AppNames names, List<String> subnetIds) {
    return observe(region, names, subnetIds, false, true);
  }

  /**
   * @param rolloutTracked the last status showed an active rollout: read refreshes to see it end
   * @param loadBalancer look for the app's load balancer (the spec has one, or the status had one)
   */
  public ObservedApp observe(
      String region,
      AppNames names,
      List<String> subnetIds,
      boolean rolloutTracked,
      boolean loadBalancer) {
    Cloud cloud = clouds.forRegion(region);
    var subnets = subnetIds.isEmpty() ? List.<Subnet>of() : cloud.subnets().describe(subnetIds);
    var lt = cloud.launchTemplates().find(names.launchTemplate());
    Optional<ObservedGroup> group = cloud.autoScalingGroups().find(names.autoScalingGroup());
    boolean rolloutPossible =
        group.isPresent()
            && (rolloutTracked
                || lt.map(t -> offVersion(group.get(), t.latestVersion())).orElse(false));
    return ObservedApp.builder()
        .subnets(subnets)
        .launchTemplate(lt.orElse(null))
        .targetGroup(cloud.targetGroups().find(names.targetGroup()).orElse(null))
        .group(group.orElse(null))
        .policy(
            group.isPresent()
                ? cloud
                    .autoScalingGroups()
                    .findPolicy(names.autoScalingGroup(), names.policy())
                    .orElse(null)
                : null)
        .refreshes(
            rolloutPossible
                ? cloud.autoScalingGroups().refreshes(names.autoScalingGroup())
                : List.of())
        .loadBalancer(
            loadBalancer ? cloud.loadBalancers().find(names.loadBalancer()).orElse(null) : null)
        .activities(
            group.filter(AppObserver::shortOfInstances).isPresent()
                ? cloud.autoScalingGroups().activities(names.autoScalingGroup())
                : List.of())
        .build();
  }

  /** Fewer instances than desired are up or on their way: AWS's activities say why. */
  static boolean shortOfInstances(ObservedGroup g) {
    long live = g.instances().stream().filter(i -> !i.leaving()).count();
    return !g.deleting() && live < g.desired();
  }

  /** The group or one of its instances is on another version than {@code latest}. */
  static boolean offVersion(ObservedGroup g, long latest) {
    return !Long.valueOf(latest).equals(g.launchTemplateVersion())
        || g.instances().stream()
            .anyMatch(
                i ->
                    !i.leaving()
                        && i.launchTemplateVersion() != null
                        && i.launchTemplateVersion() != latest);
  }
}
