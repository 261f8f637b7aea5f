package io.scalableapp.operator.cloud;

import java.util.Map;

/** A target group as AWS reports it, with its tags and how many targets are healthy. */
public record ObservedTargetGroup(
    String arn, TargetGroupConfig config, Map<String, String> tags, int healthyTargets) {}
