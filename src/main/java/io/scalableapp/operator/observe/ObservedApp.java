package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import java.util.List;
import java.util.Optional;

/**
 * The AWS state of one app. Empty optionals mean AWS has no such resource.
 *
 * @param subnets the spec's subnets as AWS knows them; empty when not observed (deletion)
 */
public record ObservedApp(
    List<Subnet> subnets,
    Optional<ObservedLaunchTemplate> launchTemplate,
    Optional<ObservedTargetGroup> targetGroup,
    Optional<ObservedGroup> group,
    Optional<ScalingPolicyConfig> policy) {

  public static ObservedApp nothing() {
    return new ObservedApp(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean isEmpty() {
    return launchTemplate.isEmpty() && targetGroup.isEmpty() && group.isEmpty();
  }
}
