package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MetricType;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.TargetTrackingConfiguration;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;

/** {@link AutoScalingGroups} on EC2 Auto Scaling. */
public class AwsAutoScalingGroups implements AutoScalingGroups {
  static final String TARGET_TRACKING = "TargetTrackingScaling";
  static final String GROUP_RESOURCE = "auto-scaling-group";

  private final AutoScalingClient asg;
  private final int pageSize;
  private final AwsWarmPools warmPools;
  private final AwsLifecycleHooks lifecycleHooks;
  private final AwsInstanceRefreshes refreshes;

  public AwsAutoScalingGroups(AutoScalingClient asg) {
    this(asg, AwsPages.MAX);
  }

  /** Listing at most {@code pageSize} groups or policies per page (never more than AWS's 100). */
  public AwsAutoScalingGroups(AutoScalingClient asg, int pageSize) {
    this.asg = asg;
    this.pageSize = AwsPages.of(pageSize, AwsPages.GROUPS);
    this.warmPools = new AwsWarmPools(asg, this.pageSize);
    this.lifecycleHooks = new AwsLifecycleHooks(asg);
    this.refreshes = new AwsInstanceRefreshes(asg);
  }

  @Override
  public List<ObservedGroup> listManaged() {
    return AwsErrors.call(
        "DescribeAutoScalingGroups",
        () ->
            asg
                .describeAutoScalingGroupsPaginator(
                    r ->
                        r.filters(f -> f.name("tag:" + Tags.MANAGED_BY).values(Tags.MANAGER))
                            .maxRecords(pageSize))
                .autoScalingGroups()
                .stream()
                .map(AwsAutoScalingGroups::toObserved)
                .toList());
  }

  @Override
  public Map<String, List<ScalingPolicyConfig>> listPolicies() {
    var byGroup = new TreeMap<String, List<ScalingPolicyConfig>>();
    AwsErrors.run(
        "DescribePolicies",
        () ->
            asg.describePoliciesPaginator(r -> r.maxRecords(pageSize)).scalingPolicies().stream()
                .filter(p -> p.targetTrackingConfiguration() != null)
                .forEach(
                    p ->
                        byGroup
                            .computeIfAbsent(p.autoScalingGroupName(), k -> new ArrayList<>())
                            .add(toPolicy(p))));
    return byGroup;
  }

  @Override
  public Optional<ObservedGroup> find(String name) {
    return AwsErrors.call(
            "DescribeAutoScalingGroups",
            () ->
                asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name))
                    .autoScalingGroups())
        .stream()
        .filter(g -> name.equals(g.autoScalingGroupName()))
        .findFirst()
        .map(AwsAutoScalingGroups::toObserved);
  }

  @Override
  public void create(GroupConfig c, Map<String, String> tags) {
    AwsErrors.run(
        "CreateAutoScalingGroup",
        () ->
            asg.createAutoScalingGroup(
                r ->
                    launch(
                            r.autoScalingGroupName(c.name()),
                            c.launchTemplateId(),
                            c.launchTemplateVersion(),
                            c.instances())
                        .capacityRebalance(c.capacityRebalance() ? true : null)
                        .minSize(c.min())
                        .maxSize(c.max())
                        .desiredCapacity(c.desired())
                        .vpcZoneIdentifier(String.join(",", c.subnetIds()))
                        .targetGroupARNs(c.targetGroupArns())
                        .healthCheckType(c.healthCheckType().name())
                        .healthCheckGracePeriod(c.healthCheckGracePeriodSeconds())
                        .lifecycleHookSpecificationList(
                            c.lifecycleHooks().isEmpty()
                                ? null
                                : AwsLifecycleHooks.specifications(c.lifecycleHooks()))
                        .tags(propagated(c.name(), tags))));
  }

  /** The group's tags, each propagated to the instances it launches. */
  private static List<Tag> propagated(String groupName, Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            e ->
                Tag.builder()
                    .resourceId(groupName)
                    .resourceType(GROUP_RESOURCE)
                    .key(e.getKey())
                    .value(e.getValue())
                    .propagateAtLaunch(true)
                    .build())
        .toList();
  }

  @Override
  public void retag(String groupName, TagChange change) {
    if (!change.set().isEmpty()) {
      AwsErrors.run(
          "CreateOrUpdateTags",
          () -> asg.createOrUpdateTags(r -> r.tags(propagated(groupName, change.set()))));
    }
    if (!change.remove().isEmpty()) {
      AwsErrors.run(
          "DeleteTags",
          () ->
              asg.deleteTags(
                  r ->
                      r.tags(
                          change.remove().stream()
                              .map(
                                  k ->
                                      Tag.builder()
                                          .resourceId(groupName)
                                          .resourceType(GROUP_RESOURCE)
                                          .key(k)
                                          .build())
                              .toList())));
    }
  }

  @Override
  public void update(GroupUpdate u) {
    var r = UpdateAutoScalingGroupRequest.builder().autoScalingGroupName(u.name());
    if (u.min() != null) {
      r.minSize(u.min());
    }
    if (u.max() != null) {
      r.maxSize(u.max());
    }
    if (u.desired() != null) {
      r.desiredCapacity(u.desired());
    }
    if (u.subnetIds() != null) {
      r.vpcZoneIdentifier(String.join(",", u.subnetIds()));
    }
    if (u.launchTemplateVersion() != null) {
      if (u.instances() == null) {
        // AWS drops the group's mixed instances policy when the update names a launch template.
        r.launchTemplate(
            AwsMixedInstances.template(u.launchTemplateId(), u.launchTemplateVersion()));
      } else {
        r.mixedInstancesPolicy(
            AwsMixedInstances.mixed(
                u.launchTemplateId(), u.launchTemplateVersion(), u.instances()));
      }
    }
    if (u.capacityRebalance() != null) {
      r.capacityRebalance(u.capacityRebalance());
    }
    if (u.healthCheckType() != null) {
      r.healthCheckType(u.healthCheckType().name());
    }
    AwsErrors.run("UpdateAutoScalingGroup", () -> asg.updateAutoScalingGroup(r.build()));
  }

  @Override
  public void attachTargetGroups(String groupName, List<String> arns) {
    AwsErrors.run(
        "AttachLoadBalancerTargetGroups",
        () ->
            asg.attachLoadBalancerTargetGroups(
                r -> r.autoScalingGroupName(groupName).targetGroupARNs(arns)));
  }

  @Override
  public void detachTargetGroups(String groupName, List<String> arns) {
    AwsErrors.run(
        "DetachLoadBalancerTargetGroups",
        () ->
            asg.detachLoadBalancerTargetGroups(
                r -> r.autoScalingGroupName(groupName).targetGroupARNs(arns)));
  }

  @Override
  public void delete(String groupName) {
    AwsErrors.delete(
        "DeleteAutoScalingGroup",
        () -> asg.deleteAutoScalingGroup(r -> r.autoScalingGroupName(groupName).forceDelete(true)));
  }

  @Override
  public List<LifecycleHookConfig> lifecycleHooks(String groupName) {
    return lifecycleHooks.describe(groupName);
  }

  @Override
  public void putLifecycleHook(String groupName, LifecycleHookConfig hook) {
    lifecycleHooks.put(groupName, hook);
  }

  @Override
  public void deleteLifecycleHook(String groupName, String hookName) {
    lifecycleHooks.delete(groupName, hookName);
  }

  @Override
  public void putWarmPool(String groupName, WarmPoolConfig config) {
    warmPools.put(groupName, config);
  }

  @Override
  public void deleteWarmPool(String groupName) {
    warmPools.delete(groupName);
  }

  @Override
  public Optional<ObservedWarmPool> warmPool(String groupName) {
    return warmPools.describe(groupName);
  }

  @Override
  public Optional<ScalingPolicyConfig> findPolicy(String groupName, String policyName) {
    return AwsErrors.call(
            "DescribePolicies",
            () ->
                asg.describePolicies(r -> r.autoScalingGroupName(groupName).policyNames(policyName))
                    .scalingPolicies())
        .stream()
        .filter(p -> policyName.equals(p.policyName()) && p.targetTrackingConfiguration() != null)
        .findFirst()
        .map(AwsAutoScalingGroups::toPolicy);
  }

  static ScalingPolicyConfig toPolicy(ScalingPolicy p) {
    return new ScalingPolicyConfig(
        p.policyName(),
        p.targetTrackingConfiguration().targetValue(),
        p.estimatedInstanceWarmup(),
        Boolean.TRUE.equals(p.targetTrackingConfiguration().disableScaleIn()));
  }

  @Override
  public void putPolicy(String groupName, ScalingPolicyConfig p) {
    AwsErrors.run(
        "PutScalingPolicy",
        () ->
            asg.putScalingPolicy(
                r ->
                    r.autoScalingGroupName(groupName)
                        .policyName(p.name())
                        .policyType(TARGET_TRACKING)
                        .estimatedInstanceWarmup(p.estimatedWarmupSeconds())
                        .targetTrackingConfiguration(
                            TargetTrackingConfiguration.builder()
                                .predefinedMetricSpecification(
                                    PredefinedMetricSpecification.builder()
                                        .predefinedMetricType(
                                            MetricType.ASG_AVERAGE_CPU_UTILIZATION)
                                        .build())
                                .targetValue(p.targetCpuUtilization())
                                .disableScaleIn(p.disableScaleIn())
                                .build())));
  }

  @Override
  public void deletePolicy(String groupName, String policyName) {
    AwsErrors.delete(
        "DeletePolicy",
        () -> asg.deletePolicy(r -> r.autoScalingGroupName(groupName).policyName(policyName)));
  }

  /** The group's launch configuration: the template alone, or a mixed instances policy over it. */
  private static CreateAutoScalingGroupRequest.Builder launch(
      CreateAutoScalingGroupRequest.Builder r, String ltId, long version, InstancesPolicy p) {
    return p == null
        ? r.launchTemplate(AwsMixedInstances.template(ltId, version))
        : r.mixedInstancesPolicy(AwsMixedInstances.mixed(ltId, version, p));
  }

  /** The one conversion of an SDK group: sorted lists, typed states, numbered versions. */
  static ObservedGroup toObserved(AutoScalingGroup g) {
    MixedInstancesPolicy mixed = g.mixedInstancesPolicy();
    LaunchTemplateSpecification lt = AwsMixedInstances.templateOf(g.launchTemplate(), mixed);
    Map<String, String> tags = new LinkedHashMap<>();
    g.tags().forEach(t -> tags.put(t.key(), t.value()));
    List<String> subnets =
        g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isBlank()
            ? List.of()
            : Arrays.stream(g.vpcZoneIdentifier().split(",")).map(String::trim).toList();
    return new ObservedGroup(
        g.autoScalingGroupName(),
        g.autoScalingGroupARN(),
        g.minSize(),
        g.maxSize(),
        g.desiredCapacity(),
        subnets,
        lt == null ? null : lt.launchTemplateId(),
        lt == null ? null : numbered(lt.version()),
        g.targetGroupARNs(),
        HealthCheckType.of(g.healthCheckType()),
        tags,
        g.instances().stream().map(AwsAutoScalingGroups::toInstance).toList(),
        // AWS reports "Delete in progress" while it deletes the group.
        g.status() != null && g.status().toLowerCase(Locale.ROOT).contains("delete"),
        g.tags().stream()
            .filter(t -> !Boolean.TRUE.equals(t.propagateAtLaunch()))
            .map(t -> t.key())
            .collect(Collectors.toSet()),
        AwsMixedInstances.toPolicy(mixed),
        Boolean.TRUE.equals(g.capacityRebalance()),
        g.warmPoolConfiguration() == null
            ? null
            : AwsWarmPools.observed(g.warmPoolConfiguration(), g.warmPoolSize(), Map.of()));
  }

  static ObservedInstance toInstance(Instance i) {
    return new ObservedInstance(
        i.instanceId(),
        i.availabilityZone(),
        LifecycleState.of(i.lifecycleStateAsString()),
        !"Unhealthy".equalsIgnoreCase(i.healthStatus()),
        i.instanceType(),
        i.launchTemplate() == null ? null : numbered(i.launchTemplate().version()));
  }

  /** A numbered version, or null for $Latest / $Default / absent. */
  static Long numbered(String version) {
    if (version == null || !version.chars().allMatch(Character::isDigit) || version.isEmpty()) {
      return null;
    }
    return Long.parseLong(version);
  }

  @Override
  public List<ScalingActivity> activities(String groupName) {
    return AwsErrors.call(
            "DescribeScalingActivities",
            () ->
                asg.describeScalingActivities(
                        r -> r.autoScalingGroupName(groupName).maxRecords(ACTIVITY_HISTORY))
                    .activities())
        .stream()
        .map(
            a ->
                new ScalingActivity(
                    a.statusCodeAsString(), a.description(), a.statusMessage(), a.startTime()))
        .sorted(
            Comparator.comparing(
                    ScalingActivity::startTime,
                    Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                .reversed())
        .toList();
  }

  @Override
  public List<ObservedRefresh> refreshes(String groupName) {
    return refreshes.describe(groupName);
  }

  @Override
  public String startRefresh(
      String groupName,
      String ltId,
      long version,
      InstancesPolicy instances,
      RefreshPreferences p) {
    return refreshes.start(groupName, ltId, version, instances, p);
  }

  @Override
  public void cancelRefresh(String groupName) {
    refreshes.cancel(groupName);
  }

  @Override
  public void rollbackRefresh(String groupName) {
    refreshes.rollback(groupName);
  }
}
