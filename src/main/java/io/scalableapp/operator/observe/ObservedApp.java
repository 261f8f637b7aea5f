package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.ScalingActivity;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The AWS state of one app. Empty optionals mean AWS has no such resource (or it was not read).
 * Built by name: {@link #builder()}, {@link #toBuilder()} and the {@code with*} methods.
 */
public final class ObservedApp {
  private final List<Subnet> subnets;
  private final Optional<ObservedLaunchTemplate> launchTemplate;
  private final Optional<ObservedTargetGroup> targetGroup;
  private final Optional<ObservedTargetGroup> replacementTargetGroup;
  private final Optional<ObservedGroup> group;
  private final Optional<ScalingPolicyConfig> policy;
  private final List<ObservedRefresh> refreshes;
  private final Optional<ObservedLoadBalancer> loadBalancer;
  private final List<ScalingActivity> activities;
  private final Optional<String> parameterImage;
  private final Optional<List<LifecycleHookConfig>> lifecycleHooks;

  private ObservedApp(Builder b) {
    this.subnets = List.copyOf(b.subnets);
    this.launchTemplate = Optional.ofNullable(b.launchTemplate);
    this.targetGroup = Optional.ofNullable(b.targetGroup);
    this.replacementTargetGroup = Optional.ofNullable(b.replacementTargetGroup);
    this.group = Optional.ofNullable(b.group);
    this.policy = Optional.ofNullable(b.policy);
    this.refreshes = List.copyOf(b.refreshes);
    this.loadBalancer = Optional.ofNullable(b.loadBalancer);
    this.activities = List.copyOf(b.activities);
    this.parameterImage = Optional.ofNullable(b.parameterImage);
    this.lifecycleHooks = Optional.ofNullable(b.lifecycleHooks).map(List::copyOf);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Nothing in AWS, nothing read. */
  public static ObservedApp nothing() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .subnets(subnets)
        .launchTemplate(launchTemplate.orElse(null))
        .targetGroup(targetGroup.orElse(null))
        .replacementTargetGroup(replacementTargetGroup.orElse(null))
        .group(group.orElse(null))
        .policy(policy.orElse(null))
        .refreshes(refreshes)
        .loadBalancer(loadBalancer.orElse(null))
        .activities(activities)
        .parameterImage(parameterImage.orElse(null))
        .lifecycleHooks(lifecycleHooks.orElse(null));
  }

  /** The spec's subnets as AWS knows them; empty when not observed (deletion). */
  public List<Subnet> subnets() {
    return subnets;
  }

  public Optional<ObservedLaunchTemplate> launchTemplate() {
    return launchTemplate;
  }

  /** The target group under the app's first target group name. */
  public Optional<ObservedTargetGroup> targetGroup() {
    return targetGroup;
  }

  /**
   * The target group under the app's second name: the one that takes over while a target group is
   * replaced (a new port, protocol or VPC), or the one a past replacement left in use.
   */
  public Optional<ObservedTargetGroup> replacementTargetGroup() {
    return replacementTargetGroup;
  }

  /** The app's target groups under both names. */
  public List<ObservedTargetGroup> targetGroups() {
    return Stream.concat(targetGroup.stream(), replacementTargetGroup.stream()).toList();
  }

  public Optional<ObservedGroup> group() {
    return group;
  }

  /** The group's target-tracking policy under the app's policy name. */
  public Optional<ScalingPolicyConfig> policy() {
    return policy;
  }

  /**
   * The group's instance refreshes, newest first; read only while a rollout may be due or running
   * (the group or an instance is off the template's latest version).
   */
  public List<ObservedRefresh> refreshes() {
    return refreshes;
  }

  public Optional<ObservedLoadBalancer> loadBalancer() {
    return loadBalancer;
  }

  /**
   * The group's latest scaling activities, newest first; read only while fewer instances are
   * InService than desired (to say why).
   */
  public List<ScalingActivity> activities() {
    return activities;
  }

  /**
   * The image the spec's SSM parameter ({@code imageId: resolve:ssm:...}) holds now; empty when the
   * spec names an image directly.
   */
  public Optional<String> parameterImage() {
    return parameterImage;
  }

  /** The group's lifecycle hooks; empty when not read (no group). */
  public Optional<List<LifecycleHookConfig>> lifecycleHooks() {
    return lifecycleHooks;
  }

  public ObservedApp withLifecycleHooks(List<LifecycleHookConfig> hooks) {
    return toBuilder().lifecycleHooks(hooks).build();
  }

  public ObservedApp withParameterImage(String imageId) {
    return toBuilder().parameterImage(imageId).build();
  }

  public ObservedApp withLaunchTemplate(ObservedLaunchTemplate lt) {
    return toBuilder().launchTemplate(lt).build();
  }

  public ObservedApp withTargetGroup(ObservedTargetGroup tg) {
    return toBuilder().targetGroup(tg).build();
  }

  public ObservedApp withReplacementTargetGroup(ObservedTargetGroup tg) {
    return toBuilder().replacementTargetGroup(tg).build();
  }

  public ObservedApp withGroup(ObservedGroup g) {
    return toBuilder().group(g).build();
  }

  public ObservedApp withPolicy(ScalingPolicyConfig p) {
    return toBuilder().policy(p).build();
  }

  public ObservedApp withRefreshes(List<ObservedRefresh> r) {
    return toBuilder().refreshes(r).build();
  }

  public ObservedApp withLoadBalancer(ObservedLoadBalancer lb) {
    return toBuilder().loadBalancer(lb).build();
  }

  /** AWS's latest launch failure, while the group is short of instances: the newest activity. */
  public Optional<ScalingActivity> launchFailure() {
    return activities.stream().findFirst().filter(ScalingActivity::failed);
  }

  /** The refresh AWS is running now, if any. */
  public Optional<ObservedRefresh> activeRefresh() {
    return refreshes.stream().filter(ObservedRefresh::active).findFirst();
  }

  /** No resource of the app exists in AWS. */
  public boolean isEmpty() {
    return launchTemplate.isEmpty()
        && targetGroup.isEmpty()
        && replacementTargetGroup.isEmpty()
        && group.isEmpty()
        && loadBalancer.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObservedApp a
        && subnets.equals(a.subnets)
        && launchTemplate.equals(a.launchTemplate)
        && targetGroup.equals(a.targetGroup)
        && replacementTargetGroup.equals(a.replacementTargetGroup)
        && group.equals(a.group)
        && policy.equals(a.policy)
        && refreshes.equals(a.refreshes)
        && loadBalancer.equals(a.loadBalancer)
        && activities.equals(a.activities)
        && parameterImage.equals(a.parameterImage)
        && lifecycleHooks.equals(a.lifecycleHooks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        subnets,
        launchTemplate,
        targetGroup,
        replacementTargetGroup,
        group,
        policy,
        refreshes,
        loadBalancer,
        activities,
        parameterImage,
        lifecycleHooks);
  }

  @Override
  public String toString() {
    return "ObservedApp[subnets="
        + subnets
        + ", launchTemplate="
        + launchTemplate
        + ", targetGroup="
        + targetGroup
        + ", replacementTargetGroup="
        + replacementTargetGroup
        + ", group="
        + group
        + ", policy="
        + policy
        + ", refreshes="
        + refreshes
        + ", loadBalancer="
        + loadBalancer
        + ", activities="
        + activities
        + ", parameterImage="
        + parameterImage
        + ", lifecycleHooks="
        + lifecycleHooks
        + "]";
  }

  /** Sets what was observed, by name; unset resources are absent, unset lists empty. */
  public static final class Builder {
    private List<Subnet> subnets = List.of();
    private ObservedLaunchTemplate launchTemplate;
    private ObservedTargetGroup targetGroup;
    private ObservedTargetGroup replacementTargetGroup;
    private ObservedGroup group;
    private ScalingPolicyConfig policy;
    private List<ObservedRefresh> refreshes = List.of();
    private ObservedLoadBalancer loadBalancer;
    private List<ScalingActivity> activities = List.of();
    private String parameterImage;
    private List<LifecycleHookConfig> lifecycleHooks;

    private Builder() {}

    public Builder subnets(List<Subnet> subnets) {
      this.subnets = subnets;
      return this;
    }

    public Builder launchTemplate(ObservedLaunchTemplate launchTemplate) {
      this.launchTemplate = launchTemplate;
      return this;
    }

    public Builder targetGroup(ObservedTargetGroup targetGroup) {
      this.targetGroup = targetGroup;
      return this;
    }

    public Builder replacementTargetGroup(ObservedTargetGroup targetGroup) {
      this.replacementTargetGroup = targetGroup;
      return this;
    }

    public Builder group(ObservedGroup group) {
      this.group = group;
      return this;
    }

    public Builder policy(ScalingPolicyConfig policy) {
      this.policy = policy;
      return this;
    }

    public Builder refreshes(List<ObservedRefresh> refreshes) {
      this.refreshes = refreshes;
      return this;
    }

    public Builder loadBalancer(ObservedLoadBalancer loadBalancer) {
      this.loadBalancer = loadBalancer;
      return this;
    }

    public Builder activities(List<ScalingActivity> activities) {
      this.activities = activities;
      return this;
    }

    public Builder lifecycleHooks(List<LifecycleHookConfig> hooks) {
      this.lifecycleHooks = hooks;
      return this;
    }

    public Builder parameterImage(String imageId) {
      this.parameterImage = imageId;
      return this;
    }

    public ObservedApp build() {
      return new ObservedApp(this);
    }
  }
}
