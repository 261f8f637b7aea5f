package io.scalableapp.operator.cloud.aws;

import static io.scalableapp.operator.cloud.AutoScalingGroups.REFRESH_HISTORY;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;

/**
 * A group's instance refreshes on EC2 Auto Scaling (the rollouts): DescribeInstanceRefreshes,
 * StartInstanceRefresh, CancelInstanceRefresh, RollbackInstanceRefresh.
 */
final class AwsInstanceRefreshes {
  private final AutoScalingClient asg;

  AwsInstanceRefreshes(AutoScalingClient asg) {
    this.asg = asg;
  }

  /** The group's latest refreshes, newest first. */
  List<ObservedRefresh> describe(String groupName) {
    return AwsErrors.call(
            "DescribeInstanceRefreshes",
            () ->
                asg.describeInstanceRefreshes(
                        r -> r.autoScalingGroupName(groupName).maxRecords(REFRESH_HISTORY))
                    .instanceRefreshes())
        .stream()
        .map(AwsInstanceRefreshes::toRefresh)
        // Newest first; a refresh without a start time yet (Pending) is the newest.
        .sorted(
            Comparator.comparing(
                    ObservedRefresh::startTime,
                    Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                .reversed())
        .toList();
  }

  /** A rolling refresh toward the numbered version (through the mixed policy, if any). */
  String start(
      String groupName,
      String ltId,
      long version,
      InstancesPolicy instances,
      RefreshPreferences p) {
    return AwsErrors.call(
        "StartInstanceRefresh",
        () ->
            asg.startInstanceRefresh(
                    r ->
                        r.autoScalingGroupName(groupName)
                            .strategy(RefreshStrategy.ROLLING)
                            .desiredConfiguration(
                                instances == null
                                    ? DesiredConfiguration.builder()
                                        .launchTemplate(AwsMixedInstances.template(ltId, version))
                                        .build()
                                    : DesiredConfiguration.builder()
                                        .mixedInstancesPolicy(
                                            AwsMixedInstances.mixed(ltId, version, instances))
                                        .build())
                            .preferences(
                                software.amazon.awssdk.services.autoscaling.model.RefreshPreferences
                                    .builder()
                                    .minHealthyPercentage(p.minHealthyPercentage())
                                    .maxHealthyPercentage(p.maxHealthyPercentage())
                                    .instanceWarmup(p.instanceWarmupSeconds())
                                    .skipMatching(p.skipMatching())
                                    .autoRollback(p.autoRollback())
                                    .build()))
                .instanceRefreshId());
  }

  /** Cancels the active refresh; none left to cancel counts as done. */
  void cancel(String groupName) {
    try {
      AwsErrors.run(
          "CancelInstanceRefresh",
          () -> asg.cancelInstanceRefresh(r -> r.autoScalingGroupName(groupName)));
    } catch (CloudException e) {
      // AWS answers ActiveInstanceRefreshNotFound when nothing is left to cancel.
      if (!e.code().startsWith("ActiveInstanceRefreshNotFound")) {
        throw e;
      }
    }
  }

  void rollback(String groupName) {
    AwsErrors.run(
        "RollbackInstanceRefresh",
        () -> asg.rollbackInstanceRefresh(r -> r.autoScalingGroupName(groupName)));
  }

  /** The one conversion of an SDK refresh: a typed status, the target's numbered version. */
  static ObservedRefresh toRefresh(InstanceRefresh r) {
    DesiredConfiguration desired = r.desiredConfiguration();
    LaunchTemplateSpecification lt =
        desired == null
            ? null
            : AwsMixedInstances.templateOf(
                desired.launchTemplate(), desired.mixedInstancesPolicy());
    Long target = lt == null ? null : AwsAutoScalingGroups.numbered(lt.version());
    InstancesPolicy policy =
        lt == null || desired.launchTemplate() != null
            ? null
            : AwsMixedInstances.toPolicy(desired.mixedInstancesPolicy());
    return new ObservedRefresh(
        r.instanceRefreshId(),
        RefreshStatus.of(r.statusAsString()),
        r.statusReason(),
        r.percentageComplete(),
        r.instancesToUpdate(),
        target,
        r.startTime(),
        r.endTime(),
        policy);
  }
}
