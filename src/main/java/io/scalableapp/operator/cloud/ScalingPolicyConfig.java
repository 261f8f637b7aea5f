package io.scalableapp.operator.cloud;

/**
 * A target-tracking policy on ASGAverageCPUUtilization.
 *
 * @param estimatedWarmupSeconds null: the group's default
 */
public record ScalingPolicyConfig(
    String name,
    double targetCpuUtilization,
    Integer estimatedWarmupSeconds,
    boolean disableScaleIn) {}
