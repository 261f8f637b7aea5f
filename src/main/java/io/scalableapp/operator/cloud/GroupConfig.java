package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * An Auto Scaling Group to create: launch template by id and numbered version (never $Latest),
 * subnets (sorted), bounds, the target groups it registers its instances in (sorted), and what its
 * health checks replace instances on.
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
    int healthCheckGracePeriodSeconds) {

  public GroupConfig {
    subnetIds = Ids.sorted(subnetIds);
    targetGroupArns = Ids.sorted(targetGroupArns);
  }
}
