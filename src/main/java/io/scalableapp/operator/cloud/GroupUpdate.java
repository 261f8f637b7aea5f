package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * Changes to an existing group; a null field is left as it is.
 *
 * @param launchTemplateVersion with {@code launchTemplateId}, the numbered version to launch
 * @param instances with {@code launchTemplateVersion}: the mixed instances policy to launch it
 *     through (the launch configuration is set whole); null: the template alone
 */
public record GroupUpdate(
    String name,
    Integer min,
    Integer max,
    Integer desired,
    List<String> subnetIds,
    String launchTemplateId,
    Long launchTemplateVersion,
    HealthCheckType healthCheckType,
    InstancesPolicy instances,
    Boolean capacityRebalance) {

  public GroupUpdate(
      String name,
      Integer min,
      Integer max,
      Integer desired,
      List<String> subnetIds,
      String launchTemplateId,
      Long launchTemplateVersion,
      HealthCheckType healthCheckType) {
    this(
        name,
        min,
        max,
        desired,
        subnetIds,
        launchTemplateId,
        launchTemplateVersion,
        healthCheckType,
        null,
        null);
  }

  public GroupUpdate {
    subnetIds = subnetIds == null ? null : Ids.sorted(subnetIds);
  }

  public boolean isEmpty() {
    return min == null
        && max == null
        && desired == null
        && subnetIds == null
        && launchTemplateVersion == null
        && healthCheckType == null
        && capacityRebalance == null;
  }
}
