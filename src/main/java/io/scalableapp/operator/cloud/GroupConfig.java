package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * An Auto Scaling Group to create: launch template by id and numbered version (never $Latest),
 * subnets, bounds, and the target groups whose ELB health checks it uses.
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
    int healthCheckGracePeriodSeconds) {}
