package io.scalableapp.operator.cloud;

import java.util.Map;

/**
 * A target group as AWS reports it, with its tags and how many targets are healthy.
 *
 * @param attributes every attribute AWS reports, by AWS's key
 *     (deregistration_delay.timeout_seconds, slow_start.duration_seconds, stickiness.enabled, ...),
 *     values as AWS writes them
 */
public record ObservedTargetGroup(
    String arn,
    TargetGroupConfig config,
    Map<String, String> tags,
    int healthyTargets,
    Map<String, String> attributes) {

  public ObservedTargetGroup {
    attributes = Map.copyOf(attributes);
  }
}
