package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import java.util.List;
import java.util.Map;

/**
 * One change the planner wants made in AWS, with the reason it is needed. Actions are data; {@link
 * #apply} makes the one call (or few) they stand for.
 */
public sealed interface Action {
  /** Why the change is needed, for status, events and logs. */
  String reason();

  /** Makes the change through the cloud port. */
  void apply(Cloud cloud);

  /** The reason of the Kubernetes event recorded when the action is applied. */
  default String eventReason() {
    return getClass().getSimpleName();
  }

  /** A short, human-readable line: what and why. */
  default String describe() {
    return getClass().getSimpleName() + ": " + reason();
  }

  record CreateLaunchTemplate(
      String name, LaunchTemplateData data, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().create(name, data, tags, ClientTokens.of(name, data.toString()));
    }
  }

  record CreateLaunchTemplateVersion(
      String templateId, long baseVersion, LaunchTemplateData data, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      // The base version is part of the token, so going back to an earlier spec makes a new
      // version.
      cloud
          .launchTemplates()
          .createVersion(
              templateId,
              data,
              ClientTokens.of(templateId, Long.toString(baseVersion), data.toString()));
    }
  }

  record CreateTargetGroup(TargetGroupConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().create(config, tags);
    }
  }

  record ModifyTargetGroupHealthCheck(
      String arn, TargetGroupConfig.HealthCheckConfig healthCheck, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().modifyHealthCheck(arn, healthCheck);
    }
  }

  record CreateGroup(GroupConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().create(config, tags);
    }
  }

  record UpdateGroup(GroupUpdate update, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().update(update);
    }
  }

  record AttachTargetGroups(String groupName, List<String> arns, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().attachTargetGroups(groupName, arns);
    }
  }

  record DetachTargetGroups(String groupName, List<String> arns, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().detachTargetGroups(groupName, arns);
    }
  }

  record PutScalingPolicy(String groupName, ScalingPolicyConfig policy, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().putPolicy(groupName, policy);
    }
  }

  record DeleteScalingPolicy(String groupName, String policyName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().deletePolicy(groupName, policyName);
    }
  }

  record StartRefresh(
      String groupName,
      String templateId,
      long version,
      RefreshPreferences preferences,
      String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().startRefresh(groupName, templateId, version, preferences);
    }

    @Override
    public String eventReason() {
      return "RolloutStarted";
    }
  }

  record CancelRefresh(String groupName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().cancelRefresh(groupName);
    }

    @Override
    public String eventReason() {
      return "RolloutSuperseded";
    }
  }

  record SetDefaultVersion(String templateId, long version, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().setDefaultVersion(templateId, version);
    }
  }

  record DeleteLaunchTemplateVersions(String templateId, List<Long> versions, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().deleteVersions(templateId, versions);
    }
  }

  record CreateLoadBalancer(LoadBalancerConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().create(config, tags);
    }
  }

  record SetLoadBalancerSubnets(String arn, List<String> subnetIds, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setSubnets(arn, subnetIds);
    }
  }

  record SetLoadBalancerSecurityGroups(String arn, List<String> securityGroupIds, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setSecurityGroups(arn, securityGroupIds);
    }
  }

  record CreateListener(
      String loadBalancerArn,
      int port,
      String targetGroupArn,
      Map<String, String> tags,
      String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().createListener(loadBalancerArn, port, targetGroupArn, tags);
    }
  }

  record SetListenerTarget(String listenerArn, String targetGroupArn, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setListenerTarget(listenerArn, targetGroupArn);
    }
  }

  record DeleteListener(String listenerArn, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().deleteListener(listenerArn);
    }
  }

  record DeleteLoadBalancer(String arn, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().delete(arn);
    }
  }

  record DeleteGroup(String groupName, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().delete(groupName);
    }
  }

  record DeleteTargetGroup(String arn, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().delete(arn);
    }
  }

  record DeleteLaunchTemplate(String templateId, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.launchTemplates().delete(templateId);
    }
  }
}
