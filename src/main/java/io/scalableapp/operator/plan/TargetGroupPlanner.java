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
import io.scalableapp.operator.cloud.TargetGroupHead;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The target group the instances register in, with its health check and attributes (deregistration
 * delay, slow start), in the VPC of the group's subnets. Protocol, port and VPC cannot change in
 * place: a change makes a new target group under the app's other target group name, which takes
 * over without downtime (see {@link #replace}). Gives its dependents what to attach and what to
 * forward to.
 */
public final class TargetGroupPlanner implements PartialPlanner<TargetGroupPlanner.Serving> {
  /**
   * The target groups the Auto Scaling group must have attached, and the one the listener forwards
   * to: one of each, or both while a target group is being replaced.
   */
  public record Serving(List<String> attach, Optional<String> serve) {
    /** No target group in the spec. */
    public static final Serving NONE = new Serving(List.of(), Optional.empty());

    static Serving only(String arn) {
      return new Serving(List.of(arn), Optional.of(arn));
    }
  }

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
  public Optional<Serving> plan(PlanContext c) {
    for (ObservedTargetGroup tg : c.observed().targetGroups()) {
      if (!c.owned("target group", tg.config().name(), tg.tags())) {
        return Optional.empty();
      }
    }
    if (c.spec().targetGroup == null) {
      return Optional.of(Serving.NONE);
    }
    List<String> vpcs = c.observed().subnets().stream().map(Subnet::vpcId).distinct().toList();
    if (vpcs.size() > 1) {
      c.block("spec.subnetIds lie in more than one VPC; a group and its target group need one VPC");
      return Optional.empty();
    }
    String vpc = vpcs.isEmpty() ? null : vpcs.get(0);
    var want = desired(c.spec().targetGroup, "", vpc);
    List<ObservedTargetGroup> all = c.observed().targetGroups();
    Optional<ObservedTargetGroup> matching = all.stream().filter(tg -> fits(tg, want)).findFirst();
    if (matching.isEmpty()) {
      return makeReplacement(c, want, servingNow(c));
    }
    ObservedTargetGroup tg = matching.get();
    maintain(c, tg, want);
    Optional<ObservedTargetGroup> other =
        all.stream().filter(o -> !o.arn().equals(tg.arn())).findFirst();
    return Optional.of(other.isEmpty() ? Serving.only(tg.arn()) : replace(c, other.get(), tg));
  }

  /** Of the app's target groups, the one traffic reaches now: forwarded to, else attached. */
  private static Optional<ObservedTargetGroup> servingNow(PlanContext c) {
    List<ObservedTargetGroup> all = c.observed().targetGroups();
    return all.stream()
        .filter(tg -> forwarded(c, tg))
        .findFirst()
        .or(() -> all.stream().filter(tg -> attached(c, tg)).findFirst())
        .or(() -> all.stream().findFirst());
  }

  /** Protocol, port and VPC cannot change in place: a target group that has them serves. */
  private static boolean fits(ObservedTargetGroup tg, TargetGroupConfig want) {
    TargetGroupConfig has = tg.config();
    return Objects.equals(has.protocol(), want.protocol())
        && has.port() == want.port()
        && Objects.equals(has.vpcId(), want.vpcId());
  }

  /**
   * No target group has the spec's protocol, port and VPC: make one under the name not taken, while
   * the one there (if any) keeps serving.
   */
  private static Optional<Serving> makeReplacement(
      PlanContext c, TargetGroupConfig want, Optional<ObservedTargetGroup> serving) {
    var names = c.desired().names();
    Optional<String> free =
        names.targetGroups().stream()
            .filter(
                n ->
                    c.observed().targetGroups().stream()
                        .noneMatch(tg -> tg.config().name().equals(n)))
            .findFirst();
    if (free.isEmpty()) {
      // Both names taken by target groups the spec no longer asks for (it changed again during a
      // replacement): the one nothing uses goes first.
      List<ObservedTargetGroup> unused =
          c.observed().targetGroups().stream().filter(tg -> !inUse(c, tg)).toList();
      if (unused.isEmpty()) {
        c.waitFor("a target group name to free up (both are in use)");
      } else {
        c.remove(
            new DeleteTargetGroup(
                unused.get(0).arn(),
                "target group "
                    + unused.get(0).config().name()
                    + " no longer has the spec's protocol, port and VPC"));
      }
      return serving.filter(tg -> inUse(c, tg)).map(tg -> Serving.only(tg.arn()));
    }
    TargetGroupConfig config =
        new TargetGroupConfig(
            free.get(), want.protocol(), want.port(), want.vpcId(), want.healthCheck());
    c.add(
        new CreateTargetGroup(
            config,
            c.desired().tags(),
            serving
                .map(
                    tg ->
                        "target group "
                            + tg.config().name()
                            + " has "
                            + describe(tg.config())
                            + "; "
                            + describe(config)
                            + " cannot change in place: a new one takes over without downtime")
                .orElse("target group does not exist")));
    return serving.map(tg -> Serving.only(tg.arn()));
  }

  /**
   * Replaces {@code old} with {@code next}, without downtime and from observed state at every step:
   * the group attaches both; once the new one has as many healthy targets as the old, the listener
   * forwards to it and the group lets the old one go; then the old one is deleted.
   */
  private static Serving replace(PlanContext c, ObservedTargetGroup old, ObservedTargetGroup next) {
    if (!attached(c, next) || next.healthyTargets() < old.healthyTargets()) {
      c.waitFor(
          "target group "
              + next.config().name()
              + " ("
              + describe(next.config())
              + ") replaces "
              + old.config().name()
              + ": "
              + next.healthyTargets()
              + " of "
              + old.healthyTargets()
              + " targets healthy");
      return new Serving(List.of(old.arn(), next.arn()), Optional.of(old.arn()));
    }
    if (!inUse(c, old)) {
      c.remove(
          new DeleteTargetGroup(
              old.arn(),
              "replaced by target group "
                  + next.config().name()
                  + " ("
                  + describe(next.config())
                  + ")"));
    }
    return Serving.only(next.arn());
  }

  /** The group attaches it, or a listener forwards to it. */
  private static boolean inUse(PlanContext c, ObservedTargetGroup tg) {
    return attached(c, tg) || forwarded(c, tg);
  }

  private static boolean attached(PlanContext c, ObservedTargetGroup tg) {
    return c.observed().group().map(g -> g.targetGroupArns().contains(tg.arn())).orElse(false);
  }

  private static boolean forwarded(PlanContext c, ObservedTargetGroup tg) {
    return c.observed().loadBalancer().stream()
        .flatMap(lb -> lb.listeners().stream())
        .anyMatch(l -> tg.arn().equals(l.targetGroupArn()));
  }

  private static String describe(TargetGroupConfig config) {
    return config.protocol() + ":" + config.port() + " in " + config.vpcId();
  }

  /** Tags, health check and attributes of the target group that serves. */
  private static void maintain(PlanContext c, ObservedTargetGroup tg, TargetGroupConfig want) {
    TargetGroupConfig has = tg.config();
    TagChange tags = TagChange.between(c.desired().tags(), tg.tags());
    if (!tags.isEmpty()) {
      c.add(new RetagTargetGroup(tg.arn(), tags, tags.describe(tg.tags())));
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
  }

  @Override
  public boolean delete(DeletionContext c) {
    // Planned after the group and the listeners: AWS refuses while they still use it.
    c.observed().targetGroups().stream()
        .filter(tg -> c.owned("target group", tg.config().name(), tg.tags()))
        .forEach(tg -> c.remove(new DeleteTargetGroup(tg.arn(), "app deleted")));
    return true;
  }

  private static <T> T or(T value, T dflt) {
    return value == null ? dflt : value;
  }

  public record CreateTargetGroup(TargetGroupConfig config, Map<String, String> tags, String reason)
      implements Creates<TargetGroupHead> {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.createsTargetGroup(config.name());
    }

    @Override
    public TargetGroupHead create(Cloud cloud) {
      return cloud.targetGroups().create(config, tags);
    }
  }

  public record ModifyTargetGroupHealthCheck(
      String arn, HealthCheckConfig healthCheck, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().modifyHealthCheck(arn, healthCheck);
    }
  }

  public record ModifyTargetGroupAttributes(
      String arn, Map<String, String> attributes, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().modifyAttributes(arn, attributes);
    }
  }

  public record RetagTargetGroup(String arn, TagChange change, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().retag(arn, change);
    }
  }

  public record DeleteTargetGroup(String arn, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.targetGroups().delete(arn);
    }
  }
}
