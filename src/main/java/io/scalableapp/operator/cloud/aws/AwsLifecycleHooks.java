package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.LifecycleHookConfig;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.LifecycleHookSpecification;

/**
 * A group's lifecycle hooks on EC2 Auto Scaling: DescribeLifecycleHooks, PutLifecycleHook,
 * DeleteLifecycleHook, and the hooks a group is created with.
 */
final class AwsLifecycleHooks {
  private final AutoScalingClient asg;

  AwsLifecycleHooks(AutoScalingClient asg) {
    this.asg = asg;
  }

  List<LifecycleHookConfig> describe(String groupName) {
    return AwsErrors.describe(
            "DescribeLifecycleHooks",
            () ->
                asg.describeLifecycleHooks(r -> r.autoScalingGroupName(groupName)).lifecycleHooks())
        .stream()
        .map(
            h ->
                new LifecycleHookConfig(
                    h.lifecycleHookName(),
                    h.lifecycleTransition(),
                    h.heartbeatTimeout() == null ? 3600 : h.heartbeatTimeout(),
                    h.defaultResult()))
        .toList();
  }

  void put(String groupName, LifecycleHookConfig hook) {
    AwsErrors.run(
        "PutLifecycleHook",
        () ->
            asg.putLifecycleHook(
                r ->
                    r.autoScalingGroupName(groupName)
                        .lifecycleHookName(hook.name())
                        .lifecycleTransition(hook.transition())
                        .heartbeatTimeout(hook.heartbeatTimeoutSeconds())
                        .defaultResult(hook.defaultResult())));
  }

  void delete(String groupName, String hookName) {
    AwsErrors.delete(
        "DeleteLifecycleHook",
        () ->
            asg.deleteLifecycleHook(
                r -> r.autoScalingGroupName(groupName).lifecycleHookName(hookName)));
  }

  /** The hooks as CreateAutoScalingGroup takes them, so that its first instances wait too. */
  static List<LifecycleHookSpecification> specifications(List<LifecycleHookConfig> hooks) {
    return hooks.stream()
        .map(
            h ->
                LifecycleHookSpecification.builder()
                    .lifecycleHookName(h.name())
                    .lifecycleTransition(h.transition())
                    .heartbeatTimeout(h.heartbeatTimeoutSeconds())
                    .defaultResult(h.defaultResult())
                    .build())
        .toList();
  }
}
