package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ObservedGroup;
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
    Cloud cloud = clouds.forRegion(region);
    var subnets = subnetIds.isEmpty() ? List.<io.scalableapp.operator.cloud.Subnet>of()
        : cloud.subnets().describe(subnetIds);
    Optional<ObservedGroup> group = cloud.autoScalingGroups().find(names.autoScalingGroup());
    return new ObservedApp(
        subnets,
        cloud.launchTemplates().find(names.launchTemplate()),
        cloud.targetGroups().find(names.targetGroup()),
        group,
        group.isPresent()
            ? cloud.autoScalingGroups().findPolicy(names.autoScalingGroup(), names.policy())
            : Optional.empty());
  }
}
