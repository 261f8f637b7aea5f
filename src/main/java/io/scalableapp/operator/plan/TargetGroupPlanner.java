package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.api.TargetGroupSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The target group the instances register in, with its health check and attributes (deregistration
 * delay, slow start), in the VPC of the group's subnets. Gives its dependents the target group ARNs
 * to attach: none when the spec has no target group.
 */
public final class TargetGroupPlanner implements PartialPlanner<List<String>> {
  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    if (s.targetGroup == null) {
      return;
    }
    TargetGroupSpec tg = s.targetGroup;
    v.oneOf("spec.targetGroup.protocol", tg.protocol, TargetGroupSpec.Protocol.class);
    v.range("spec.targetGroup.port", tg.port, 1, 65535, false);
    v.range(
        "spec.targetGroup.deregistrationDelaySeconds",
        tg.deregistrationDelaySeconds,
        0,
        TargetGroupSpec.MAX_DEREGISTRATION_DELAY,
        false);
    v.range(
        "spec.targetGroup.slowStartSeconds",
        tg.slowStartSeconds,
        0,
        TargetGroupSpec.MAX_SLOW_START,
        false);
    if (tg.slowStartSeconds != null
        && tg.slowStartSeconds != 0
        && tg.slowStartSeconds < TargetGroupSpec.MIN_SLOW_START) {
      v.add(
          "spec.targetGroup.slowStartSeconds: "
              + tg.slowStartSeconds
              + " must be 0 (off) or "
              + TargetGroupSpec.MIN_SLOW_START
              + " to "
              + TargetGroupSpec.MAX_SLOW_START);
    }
    HealthCheck hc = s.targetGroup.healthCheck;
    if (hc == null) {
      return;
    }
    v.pattern("spec.targetGroup.healthCheck.path", hc.path, "^/.{0,1023}$", false);
    v.range("spec.targetGroup.healthCheck.intervalSeconds", hc.intervalSeconds, 5, 300, false);
    v.range("spec.targetGroup.healthCheck.timeoutSeconds", hc.timeoutSeconds, 2, 120, false);
    v.range("spec.targetGroup.healthCheck.healthyThreshold", hc.healthyThreshold, 2, 10, false);
    v.range("spec.targetGroup.healthCheck.unhealthyThreshold", hc.unhealthyThreshold, 2, 10, false);
    v.pattern(
        "spec.targetGroup.healthCheck.matcher",
        hc.matcher,
        "^[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*$",
        false);
    int timeout = or(hc.timeoutSeconds, HealthCheck.DEFAULT_TIMEOUT);
    int interval = or(hc.intervalSeconds, HealthCheck.DEFAULT_INTERVAL);
    if (timeout >= interval) {
      v.add(
          "spec.targetGroup.healthCheck: timeoutSeconds ("
              + timeout
              + ") must be less than intervalSeconds ("
              + interval
              + ")");
    }
  }

  /** The target group the spec asks for in {@code vpcId}, every default filled in. */
  public static TargetGroupConfig desired(TargetGroupSpec tg, String name, String vpcId) {
    HealthCheck hc = tg.healthCheck == null ? new HealthCheck() : tg.healthCheck;
    return new TargetGroupConfig(
        name,
        tg.protocol == null ? TargetGroupSpec.Protocol.HTTP.name() : tg.protocol,
        tg.port == null ? 80 : tg.port,
        vpcId,
        new HealthCheckConfig(
            or(hc.path, HealthCheck.DEFAULT_PATH),
            or(hc.intervalSeconds, HealthCheck.DEFAULT_INTERVAL),
            or(hc.timeoutSeconds, HealthCheck.DEFAULT_TIMEOUT),
            or(hc.healthyThreshold, HealthCheck.DEFAULT_HEALTHY),
            or(hc.unhealthyThreshold, HealthCheck.DEFAULT_UNHEALTHY),
            or(hc.matcher, HealthCheck.DEFAULT_MATCHER)));
  }

  /** AWS's attribute keys for what the spec sets. */
  static final String DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

  static final String SLOW_START = "slow_start.duration_seconds";

  /** The attributes the spec asks for, by AWS's key; unset ones take AWS's defaults. */
  public static Map<String, String> attributes(TargetGroupSpec tg) {
    return Map.of(
        DEREGISTRATION_DELAY,
        Integer.toString(
            or(tg.deregistrationDelaySeconds, TargetGroupSpec.DEFAULT_DEREGISTRATION_DELAY)),
        SLOW_START,
        Integer.toString(or(tg.slowStartSeconds, 0)));
  }

  @Override
  public Optional<List<String>> plan(PlanContext c) {
    Optional<ObservedTargetGroup> seen = c.observed().targetGroup();
    if (seen.isPresent()
        && !c.owned("target group", seen.get().config().name(), seen.get().tags())) {
      return Optional.empty();
    }
    if (c.spec().targetGroup == null) {
      return Optional.of(List.of());
    }
    List<String> vpcs = c.observed().subnets().stream().map(Subnet::vpcId).distinct().toList();
    if (vpcs.size() > 1) {
      c.block("spec.subnetIds lie in more than one VPC; a group and its target group need one VPC");
      return Optional.empty();
    }
    var want =
        desired(
            c.spec().targetGroup,
            c.desired().names().targetGroup(),
            vpcs.isEmpty() ? null : vpcs.get(0));
    if (seen.isEmpty()) {
      c.add(new CreateTargetGroup(want, c.desired().tags(), "target group does not exist"));
      return Optional.empty();
    }
    ObservedTargetGroup tg = seen.get();
    TargetGroupConfig has = tg.config();
    TagChange tags = TagChange.between(c.desired().tags(), tg.tags());
    if (!tags.isEmpty()) {
      c.add(new RetagTargetGroup(tg.arn(), tags, tags.describe(tg.tags())));
    }
    if (!Objects.equals(has.protocol(), want.protocol())
        || has.port() != want.port()
        || !Objects.equals(has.vpcId(), want.vpcId())) {
      c.block(
          "target group "
              + has.name()
              + " has "
              + has.protocol()
              + ":"
              + has.port()
              + " in "
              + has.vpcId()
              + "; protocol, port and VPC cannot change in place (delete and re-create the app)");
    }
    if (!Objects.equals(has.healthCheck(), want.healthCheck())) {
      c.add(
          new ModifyTargetGroupHealthCheck(
              tg.arn(),
              want.healthCheck(),
              "health check " + has.healthCheck() + " -> " + want.healthCheck()));
    }
    var changed = new TreeMap<String, String>();
    attributes(c.spec().targetGroup)
        .forEach(
            (key, value) -> {
              if (!value.equals(tg.attributes().get(key))) {
                changed.put(key, value);
              }
            });
    if (!changed.isEmpty()) {
      c.add(
          new ModifyTargetGroupAttributes(
              tg.arn(),
              changed,
              String.join(
                  "; ",
                  changed.entrySet().stream()
                      .map(
                          e ->
                              e.getKey()
                                  + " "
                                  + tg.attributes().get(e.getKey())
                                  + " -> "
                                  + e.getValue())
                      .toList())));
    }
    return Optional.of(List.of(tg.arn()));
  }

  @Override
  public boolean delete(DeletionContext c) {
    // Planned after the group and the listeners: AWS refuses while they still use it.
    c.observed()
        .targetGroup()
        .filter(tg -> c.owned("target group", tg.config().name(), tg.tags()))
        .ifPresent(tg -> c.remove(new DeleteTargetGroup(tg.arn(), "app deleted")));
    return true;
  }

  private static <T> T or(T value, T dflt) {
    return value == null ? dflt : value;
  }

  public record CreateTargetGroup(TargetGroupConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().create(config, tags);
    }
  }

  public record ModifyTargetGroupHealthCheck(
      String arn, HealthCheckConfig healthCheck, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().modifyHealthCheck(arn, healthCheck);
    }
  }

  public record ModifyTargetGroupAttributes(
      String arn, Map<String, String> attributes, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().modifyAttributes(arn, attributes);
    }
  }

  public record RetagTargetGroup(String arn, TagChange change, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().retag(arn, change);
    }
  }

  public record DeleteTargetGroup(String arn, String reason) implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().delete(arn);
    }
  }
}
