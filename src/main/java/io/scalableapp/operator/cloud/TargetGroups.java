package io.scalableapp.operator.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ELBv2 target groups. */
public interface TargetGroups {
  /**
   * The target group with this name, its tags, attributes and target health; empty when AWS has
   * none.
   */
  Optional<ObservedTargetGroup> find(String name);

  /** The target group with this name, ARN and settings only (one call); empty when none. */
  Optional<TargetGroupHead> findHead(String name);

  /** Every target group in the region, all pages: ARN and settings only. */
  List<TargetGroupHead> list();

  /** The target group's attributes, by AWS's key. */
  Map<String, String> attributes(String arn);

  /** How many of its targets are healthy. */
  int healthyTargets(String arn);

  /**
   * Creates the target group, tagged. AWS returns the existing group for a repeated create with the
   * same settings, so this is idempotent.
   *
   * @return the target group as AWS's answer describes it (the whole of what DescribeTargetGroups
   *     would show)
   */
  TargetGroupHead create(TargetGroupConfig config, Map<String, String> tags);

  /** Sets the health check to {@code healthCheck}. */
  void modifyHealthCheck(String arn, TargetGroupConfig.HealthCheckConfig healthCheck);

  /**
   * Sets these attributes (AWS's keys and values, e.g. {@code deregistration_delay.timeout_seconds
   * = 30}); others stay as they are. INVALID_REQUEST with AWS's message for a key or value AWS
   * refuses.
   */
  void modifyAttributes(String arn, Map<String, String> attributes);

  /** Sets and removes the target group's tags. */
  void retag(String arn, TagChange change);

  /** Deletes the target group; NotFound counts as done; IN_USE while something still uses it. */
  void delete(String arn);
}
