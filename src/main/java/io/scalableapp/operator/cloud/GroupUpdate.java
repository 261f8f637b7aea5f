package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * Changes to an existing group; a null field is left as it is.
 *
 * @param launchTemplateVersion with {@code launchTemplateId}, the numbered version to launch
 */
public record GroupUpdate(
    String name,
    Integer min,
    Integer max,
    Integer desired,
    List<String> subnetIds,
    String launchTemplateId,
    Long launchTemplateVersion,
    HealthCheckType healthCheckType) {

  public GroupUpdate {
    subnetIds = subnetIds == null ? null : Ids.sorted(subnetIds);
  }

  public boolean isEmpty() {
    return min == null
        && max == null
        && desired == null
        && subnetIds == null
        && launchTemplateVersion == null
        && healthCheckType == null;
  }
}
