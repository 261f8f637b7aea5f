package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.RootVolume;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.api.TargetGroupSpec;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What AWS should hold for one app, derived from a valid spec with every default filled in.
 *
 * @param desired the spec's desired capacity, null when unset
 */
public record DesiredApp(
    String ownerKey,
    String region,
    AppNames names,
    Map<String, String> tags,
    LaunchTemplateData launchTemplate,
    Optional<TargetGroupShape> targetGroup,
    int min,
    int max,
    Integer desired,
    List<String> subnetIds,
    Optional<ScalingPolicyConfig> policy,
    RefreshPreferences rollout,
    Optional<LoadBalancerShape> loadBalancer) {

  /** The load balancer the spec asks for: scheme, subnets, security groups, listener port. */
  public record LoadBalancerShape(
      String scheme, List<String> subnetIds, List<String> securityGroupIds, int port) {}

  /** The target group's protocol, port and health check (its VPC comes from the subnets). */
  public record TargetGroupShape(String protocol, int port, HealthCheckConfig healthCheck) {}

  public static DesiredApp from(ScalableApp app) {
    ScalableAppSpec s = app.getSpec();
    var names = AppNames.of(app.getMetadata().getNamespace(), app.getMetadata().getName());
    return new DesiredApp(
        app.ownerKey(),
        s.region,
        names,
        Tags.forApp(app.ownerKey(), s.tags),
        launchTemplate(s),
        Optional.ofNullable(s.targetGroup).map(DesiredApp::targetGroup),
        s.capacity.min,
        s.capacity.max,
        s.capacity.desired,
        s.subnetIds.stream().sorted().toList(),
        Optional.ofNullable(s.scaling)
            .map(
                sc ->
                    new ScalingPolicyConfig(
                        names.policy(),
                        sc.targetCpuUtilization,
                        sc.estimatedWarmupSeconds,
                        Boolean.TRUE.equals(sc.disableScaleIn))),
        rollout(s.rollout),
        Optional.ofNullable(s.loadBalancer)
            .map(
                lb ->
                    new LoadBalancerShape(
                        lb.scheme == null ? "internet-facing" : lb.scheme,
                        lb.subnetIds.stream().sorted().toList(),
                        lb.securityGroupIds == null
                            ? List.of()
                            : lb.securityGroupIds.stream().sorted().toList(),
                        lb.listenerPort == null ? 80 : lb.listenerPort)));
  }

  static RefreshPreferences rollout(RolloutSpec r) {
    RolloutSpec spec = r == null ? new RolloutSpec() : r;
    return RefreshPreferences.withDefaults(
        spec.minHealthyPercentage,
        spec.maxHealthyPercentage,
        spec.instanceWarmupSeconds,
        spec.skipMatching,
        spec.autoRollback);
  }

  static LaunchTemplateData launchTemplate(ScalableAppSpec s) {
    RootVolume rv = s.rootVolume;
    return new LaunchTemplateData(
        s.imageId,
        s.instanceType,
        UserData.renderBase64(s.userData, s.environment),
        s.instanceProfile,
        s.securityGroupIds,
        s.keyName,
        rv == null
            ? null
            : new LaunchTemplateData.Volume(
                rv.deviceName == null ? RootVolume.DEFAULT_DEVICE : rv.deviceName,
                rv.sizeGiB,
                rv.type == null ? RootVolume.Type.gp3.name() : rv.type));
  }

  static TargetGroupShape targetGroup(TargetGroupSpec tg) {
    HealthCheck hc = tg.healthCheck == null ? new HealthCheck() : tg.healthCheck;
    return new TargetGroupShape(
        tg.protocol == null ? TargetGroupSpec.Protocol.HTTP.name() : tg.protocol,
        tg.port == null ? 80 : tg.port,
        new HealthCheckConfig(
            or(hc.path, HealthCheck.DEFAULT_PATH),
            or(hc.intervalSeconds, HealthCheck.DEFAULT_INTERVAL),
            or(hc.timeoutSeconds, HealthCheck.DEFAULT_TIMEOUT),
            or(hc.healthyThreshold, HealthCheck.DEFAULT_HEALTHY),
            or(hc.unhealthyThreshold, HealthCheck.DEFAULT_UNHEALTHY),
            or(hc.matcher, HealthCheck.DEFAULT_MATCHER)));
  }

  private static <T> T or(T value, T dflt) {
    return value == null ? dflt : value;
  }
}
