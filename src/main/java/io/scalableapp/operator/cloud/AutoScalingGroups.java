package io.scalableapp.operator.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** EC2 Auto Scaling groups and their scaling policies. */
public interface AutoScalingGroups {
  /** Scaling activities read per group: enough to see the latest launch's outcome. */
  int ACTIVITY_HISTORY = 5;

  /** Instance refreshes read per group: enough to see the active one and the last outcomes. */
  int REFRESH_HISTORY = 5;

  /** The group with this name and its instances; empty when AWS has none. */
  Optional<ObservedGroup> find(String name);

  /**
   * Every group in the region tagged as this operator's ({@link Tags#MANAGED_BY}), with its
   * instances, all pages.
   */
  List<ObservedGroup> listManaged();

  /** Every target-tracking policy in the region, by group name, all pages. */
  Map<String, List<ScalingPolicyConfig>> listPolicies();

  /**
   * Creates the group with its tags propagated to instances at launch. Throws ALREADY_EXISTS when
   * the name is taken (AWS takes no client token here: the caller looks up before creating).
   */
  void create(GroupConfig config, Map<String, String> tags);

  /** Applies the non-null fields of {@code update}. */
  void update(GroupUpdate update);

  /** Attaches target groups to the group (idempotent). */
  void attachTargetGroups(String groupName, List<String> targetGroupArns);

  /** Detaches target groups from the group (idempotent). */
  void detachTargetGroups(String groupName, List<String> targetGroupArns);

  /**
   * Sets (propagated to instances at launch) and removes the group's tags. Running instances keep
   * theirs until they are replaced.
   */
  void retag(String groupName, TagChange change);

  /** Deletes the group and terminates its instances; NotFound counts as done. */
  void delete(String groupName);

  /** The group's lifecycle hooks, every one (the user's too). */
  List<LifecycleHookConfig> lifecycleHooks(String groupName);

  /** Creates or replaces the hook of this name. */
  void putLifecycleHook(String groupName, LifecycleHookConfig hook);

  /** Deletes the hook (instances waiting on it go on with its default result); NotFound: done. */
  void deleteLifecycleHook(String groupName, String hookName);

  /** Creates or replaces the group's warm pool (PutWarmPool is an upsert). */
  void putWarmPool(String groupName, WarmPoolConfig config);

  /**
   * Deletes the group's warm pool and terminates its instances (AWS then reports it PendingDelete
   * until they are gone); none counts as done.
   */
  void deleteWarmPool(String groupName);

  /** The group's warm pool with its instances counted by lifecycle state; empty when none. */
  Optional<ObservedWarmPool> warmPool(String groupName);

  /** The group's policy with this name; empty when there is none. */
  Optional<ScalingPolicyConfig> findPolicy(String groupName, String policyName);

  /** Creates or replaces the target-tracking policy (PutScalingPolicy is an upsert). */
  void putPolicy(String groupName, ScalingPolicyConfig policy);

  /** Deletes the policy; NotFound counts as done. */
  void deletePolicy(String groupName, String policyName);

  /**
   * The group's latest {@link #ACTIVITY_HISTORY} scaling activities, newest first: where AWS says
   * why it could not launch instances.
   */
  List<ScalingActivity> activities(String groupName);

  /** The group's latest {@link #REFRESH_HISTORY} instance refreshes, newest first. */
  List<ObservedRefresh> refreshes(String groupName);

  /**
   * Starts a rolling instance refresh toward the launch template's numbered version, launched
   * through {@code instances} (null: the template alone): its DesiredConfiguration, which AWS puts
   * into the group when the refresh succeeds. Throws IN_USE when a refresh is already active.
   *
   * @return the refresh's id
   */
  String startRefresh(
      String groupName,
      String launchTemplateId,
      long version,
      InstancesPolicy instances,
      RefreshPreferences preferences);

  /** A refresh toward the launch template alone. */
  default String startRefresh(
      String groupName, String launchTemplateId, long version, RefreshPreferences preferences) {
    return startRefresh(groupName, launchTemplateId, version, null, preferences);
  }

  /** Cancels the active refresh; none active counts as done. */
  void cancelRefresh(String groupName);

  /** Rolls the active refresh back to the group's previous configuration. */
  void rollbackRefresh(String groupName);
}
