package io.scalableapp.sandbox.sim;

import static io.scalableapp.sandbox.sim.World.error;

import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.cloud.TargetGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * ELBv2 target groups: instance targets registered by the groups they are attached to, health
 * checks passing or failing after their thresholds, draining on termination. Shares the load
 * balancing service's lock with {@link SimLoadBalancers}.
 */
final class SimTargetGroups implements TargetGroups, World.Service {
  private final World world;
  private final Object elb;
  private SimLoadBalancers loadBalancers;
  private final Map<String, TargetGroup> byName = new LinkedHashMap<>();

  enum Health {
    initial,
    healthy,
    unhealthy,
    draining
  }

  /**
   * The attributes AWS gives a new HTTP target group of instances, and the range of each numeric
   * one ({@code min..max}, or {@code 0|min..max} where 0 turns it off).
   */
  static final Map<String, String> DEFAULT_ATTRIBUTES =
      Map.of(
          "deregistration_delay.timeout_seconds", "300",
          "slow_start.duration_seconds", "0",
          "stickiness.enabled", "false",
          "stickiness.type", "lb_cookie",
          "load_balancing.algorithm.type", "round_robin",
          "load_balancing.cross_zone.enabled", "use_load_balancer_configuration");

  private static final Map<String, int[]> RANGES =
      Map.of(
          "deregistration_delay.timeout_seconds", new int[] {0, 0, 3600},
          "slow_start.duration_seconds", new int[] {1, 30, 900});

  private static final class TargetGroup {
    String arn;
    TargetGroupConfig config;
    Map<String, String> attributes = new TreeMap<>(DEFAULT_ATTRIBUTES);
    Map<String, String> tags;
    Map<String, Target> targets = new LinkedHashMap<>();
    Set<String> attachedTo = new HashSet<>();
  }

  private static final class Target {
    Health health = Health.initial;
    Instant since;
  }

  SimTargetGroups(World world, Object elbLock) {
    this.world = world;
    this.elb = elbLock;
  }

  void listenersOf(SimLoadBalancers loadBalancers) {
    this.loadBalancers = loadBalancers;
  }

  // ------------------------------------------------------------ what the other services call

  /** A group attached these target groups. */
  void attach(String group, Collection<String> arns) {
    synchronized (elb) {
      arns.forEach(arn -> byArn(arn).ifPresent(tg -> tg.attachedTo.add(group)));
    }
  }

  void detach(String group, Collection<String> arns) {
    synchronized (elb) {
      arns.forEach(arn -> byArn(arn).ifPresent(tg -> tg.attachedTo.remove(group)));
    }
  }

  /** An instance entered service: its group registers it in these target groups. */
  void register(Collection<String> arns, String instanceId, Instant t) {
    synchronized (elb) {
      for (String arn : arns) {
        byArn(arn)
            .ifPresent(
                tg -> {
                  var target = new Target();
                  target.since = t;
                  tg.targets.put(instanceId, target);
                });
      }
    }
  }

  /** An instance is terminating: its targets drain. */
  void drain(String instanceId) {
    synchronized (elb) {
      byName.values().stream()
          .map(tg -> tg.targets.get(instanceId))
          .filter(x -> x != null)
          .forEach(x -> x.health = Health.draining);
    }
  }

  /** An instance leaves these target groups (its group detached them). */
  void deregister(Collection<String> arns, String instanceId) {
    synchronized (elb) {
      arns.forEach(arn -> byArn(arn).ifPresent(tg -> tg.targets.remove(instanceId)));
    }
  }

  void deregister(String instanceId) {
    synchronized (elb) {
      byName.values().forEach(tg -> tg.targets.remove(instanceId));
    }
  }

  /** Some target group of {@code arns} reports the instance unhealthy. */
  boolean anyUnhealthy(Collection<String> arns, String instanceId) {
    return arns.stream().anyMatch(arn -> health(arn, instanceId) == Health.unhealthy);
  }

  /** Every target group of {@code arns} reports the instance healthy (true without any). */
  boolean allHealthy(Collection<String> arns, String instanceId) {
    synchronized (elb) {
      return arns.stream()
          .map(this::byArn)
          .flatMap(Optional::stream)
          .allMatch(
              tg ->
                  Optional.ofNullable(tg.targets.get(instanceId))
                      .map(x -> x.health == Health.healthy)
                      .orElse(false));
    }
  }

  /** Healthy targets over these target groups. */
  int healthyTargets(Collection<String> arns) {
    synchronized (elb) {
      return arns.stream().map(this::byArn).flatMap(Optional::stream).mapToInt(this::healthy).sum();
    }
  }

  boolean exists(String arn) {
    synchronized (elb) {
      return byArn(arn).isPresent();
    }
  }

  private Health health(String arn, String instanceId) {
    synchronized (elb) {
      return byArn(arn).map(tg -> tg.targets.get(instanceId)).map(x -> x.health).orElse(null);
    }
  }

  /** Health checks: failing targets turn unhealthy, passing ones healthy, after the thresholds. */
  @Override
  public void step(Instant t) {
    synchronized (elb) {
      for (TargetGroup tg : byName.values()) {
        HealthCheckConfig hc = tg.config.healthCheck();
        for (var e : tg.targets.entrySet()) {
          Optional<SimInstance> i = world.instance(e.getKey());
          Target target = e.getValue();
          if (i.isEmpty()) {
            continue;
          }
          if (i.get().failing
              && target.health != Health.unhealthy
              && !target.since.plus(checks(hc, hc.unhealthyThreshold())).isAfter(t)) {
            target.health = Health.unhealthy;
            target.since = t;
          } else if (!i.get().failing
              && target.health == Health.initial
              && !target.since.plus(checks(hc, hc.healthyThreshold())).isAfter(t)) {
            target.health = Health.healthy;
            target.since = t;
          }
        }
      }
    }
  }

  private static Duration checks(HealthCheckConfig hc, int count) {
    return Duration.ofSeconds((long) hc.intervalSeconds() * count);
  }

  // ------------------------------------------------------------ the port

  @Override
  public Optional<ObservedTargetGroup> find(String name) {
    world.tick();
    synchronized (elb) {
      return Optional.ofNullable(byName.get(name))
          .map(
              tg ->
                  new ObservedTargetGroup(
                      tg.arn, tg.config, Map.copyOf(tg.tags), healthy(tg), tg.attributes));
    }
  }

  @Override
  public Optional<TargetGroupHead> findHead(String name) {
    return find(name).map(tg -> new TargetGroupHead(tg.arn(), tg.config()));
  }

  @Override
  public List<TargetGroupHead> list() {
    world.tick();
    synchronized (elb) {
      return byName.values().stream().map(tg -> new TargetGroupHead(tg.arn, tg.config)).toList();
    }
  }

  @Override
  public Map<String, String> attributes(String arn) {
    world.tick();
    synchronized (elb) {
      return Map.copyOf(existing(arn, "DescribeTargetGroupAttributes").attributes);
    }
  }

  @Override
  public int healthyTargets(String arn) {
    world.tick();
    synchronized (elb) {
      return healthy(existing(arn, "DescribeTargetHealth"));
    }
  }

  /** The target group's tags, if it exists (ELBv2's one DescribeTags answers for it). */
  Optional<Map<String, String>> tagsOf(String arn) {
    synchronized (elb) {
      return byArn(arn).map(tg -> Map.copyOf(tg.tags));
    }
  }

  @Override
  public TargetGroupHead create(TargetGroupConfig config, Map<String, String> tags) {
    world.tick();
    synchronized (elb) {
      TargetGroup existing = byName.get(config.name());
      if (existing != null) {
        if (existing.config.equals(config)) {
          return new TargetGroupHead(existing.arn, existing.config);
        }
        throw error(
            Kind.ALREADY_EXISTS,
            "DuplicateTargetGroupName",
            "A target group with the same name '"
                + config.name()
                + "' exists, but with different settings",
            "CreateTargetGroup");
      }
      var tg = new TargetGroup();
      tg.arn =
          "arn:aws:elasticloadbalancing:"
              + world.region()
              + ":"
              + World.ACCOUNT
              + ":targetgroup/"
              + config.name()
              + "/"
              + world.hex(16);
      tg.config = config;
      tg.tags = new LinkedHashMap<>(tags);
      byName.put(config.name(), tg);
      return new TargetGroupHead(tg.arn, tg.config);
    }
  }

  @Override
  public void modifyHealthCheck(String arn, HealthCheckConfig hc) {
    world.tick();
    synchronized (elb) {
      TargetGroup tg = existing(arn, "ModifyTargetGroup");
      tg.config = tg.config.withHealthCheck(hc);
    }
  }

  @Override
  public void modifyAttributes(String arn, Map<String, String> attributes) {
    world.tick();
    synchronized (elb) {
      TargetGroup tg = existing(arn, "ModifyTargetGroupAttributes");
      attributes.forEach(
          (key, value) -> {
            if (!DEFAULT_ATTRIBUTES.containsKey(key)) {
              throw invalid("Target group attribute key '" + key + "' is not recognized");
            }
            int[] range = RANGES.get(key);
            if (range != null && !inRange(value, range)) {
              throw invalid(
                  "'"
                      + key
                      + "' value '"
                      + value
                      + "' must be "
                      + (range[0] == 1 ? "0 or " : "")
                      + "between '"
                      + range[1]
                      + "-"
                      + range[2]
                      + "' inclusive");
            }
          });
      tg.attributes.putAll(attributes);
    }
  }

  private static boolean inRange(String value, int[] range) {
    try {
      int v = Integer.parseInt(value);
      return (range[0] == 1 && v == 0) || (v >= range[1] && v <= range[2]);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static RuntimeException invalid(String message) {
    return error(Kind.INVALID_REQUEST, "ValidationError", message, "ModifyTargetGroupAttributes");
  }

  @Override
  public void retag(String arn, TagChange change) {
    world.tick();
    synchronized (elb) {
      TargetGroup tg = existing(arn, "AddTags");
      tg.tags.putAll(change.set());
      change.remove().forEach(tg.tags::remove);
    }
  }

  @Override
  public void delete(String arn) {
    world.tick();
    synchronized (elb) {
      if (byArn(arn).map(tg -> !tg.attachedTo.isEmpty()).orElse(false)
          || loadBalancers.forwardsTo(arn)) {
        throw error(
            Kind.IN_USE,
            "ResourceInUse",
            "Target group '" + arn + "' is currently in use by an Auto Scaling group",
            "DeleteTargetGroup");
      }
      byName.values().removeIf(tg -> tg.arn.equals(arn));
    }
  }

  private int healthy(TargetGroup tg) {
    return (int) tg.targets.values().stream().filter(x -> x.health == Health.healthy).count();
  }

  private TargetGroup existing(String arn, String operation) {
    return byArn(arn)
        .orElseThrow(
            () ->
                error(
                    Kind.NOT_FOUND,
                    "TargetGroupNotFound",
                    "One or more target groups not found",
                    operation));
  }

  private Optional<TargetGroup> byArn(String arn) {
    return byName.values().stream().filter(tg -> tg.arn.equals(arn)).findFirst();
  }
}
