package io.scalableapp.operator.cloud;

/** The cloud port for one region: the narrow interfaces the planner's actions need. */
public record Cloud(
    LaunchTemplates launchTemplates,
    Subnets subnets,
    TargetGroups targetGroups,
    AutoScalingGroups autoScalingGroups,
    LoadBalancers loadBalancers,
    InstancePurchases purchases,
    ImageParameters imageParameters) {}
