package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.plan.InstanceTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The instances of the Auto Scaling groups over time: launched balanced across zones, in service
 * after booting and registered in their target groups, replaced when ELB health checks fail,
 * terminated by AWS's default termination policy, and the CPU target-tracking policy. Runs under
 * the Auto Scaling service's lock.
 */
final class Fleet {
  private final World world;
  private final SimLaunchTemplates templates;
  private final SimTargetGroups targetGroups;
  private final FaultState faults;

  Fleet(
      World world, SimLaunchTemplates templates, SimTargetGroups targetGroups, FaultState faults) {
    this.world = world;
    this.templates = templates;
    this.targetGroups = targetGroups;
    this.faults = faults;
  }

  /** Booted instances go in service (and into the target groups); terminated ones go. */
  void lifecycle(SimGroup g, Instant t) {
    for (SimInstance i : g.instances) {
      if (i.state == LifecycleState.Pending
          && !i.launchedAt.plus(world.settings().bootTime()).isAfter(t)) {
        i.state = LifecycleState.InService;
        i.inServiceAt = t;
        targetGroups.register(g.targetGroupArns, i.id, t);
      }
    }
    g.instances.removeIf(
        i -> {
          boolean gone = i.state.leaving() && !i.terminateAt.isAfter(t);
          if (gone) {
            targetGroups.deregister(i.id);
            world.gone(i);
          }
          return gone;
        });
  }

  /** ELB health checks: an instance its target group calls unhealthy is replaced. */
  void replaceUnhealthy(SimGroup g, Instant t) {
    if (g.healthCheckType != HealthCheckType.ELB) {
      return;
    }
    for (SimInstance i : g.live()) {
      boolean unhealthy = i.state.inService() && targetGroups.anyUnhealthy(g.targetGroupArns, i.id);
      if (unhealthy && !i.launchedAt.plusSeconds(Math.min(g.grace, 60)).isAfter(t)) {
        i.healthy = false;
        terminate(i, t);
        g.activeRefresh()
            .filter(r -> r.status == RefreshStatus.InProgress)
            .filter(r -> i.version == r.target)
            .ifPresent(r -> r.failedLaunches++);
      }
    }
  }

  /** Launches or terminates to reach desired capacity, plus a refresh's room above it. */
  void capacity(SimGroup g, Instant t, int surge) {
    int want = g.desired + surge;
    List<SimInstance> live = g.live();
    for (int n = live.size(); n < want; n++) {
      launch(g, t, leaving(g));
    }
    if (live.size() > want) {
      int excess = live.size() - want;
      for (int n = 0; n < excess; n++) {
        pickForTermination(g).ifPresent(i -> terminate(i, t));
      }
    }
  }

  /** Instances a running refresh is about to replace: they do not count when balancing zones. */
  private Set<SimInstance> leaving(SimGroup g) {
    return new HashSet<>(g.activeRefresh().map(r -> Refreshes.toReplace(g, r)).orElse(List.of()));
  }

  private void launch(SimGroup g, Instant t, Set<SimInstance> leaving) {
    Map<String, Long> perZone =
        g.live().stream()
            .filter(i -> !leaving.contains(i))
            .collect(Collectors.groupingBy(i -> i.az, Collectors.counting()));
    var subnet =
        g.subnetIds.stream()
            .map(world::subnet)
            .flatMap(Optional::stream)
            .min(
                Comparator.comparingLong(
                        (Subnet s) -> perZone.getOrDefault(s.availabilityZone(), 0L))
                    .thenComparing(Subnet::id))
            .orElseThrow();
    Optional<SimRefresh> refresh = g.activeRefresh().filter(SimRefresh::replacing);
    long version = refresh.map(r -> r.current).orElse(g.version);
    InstancesPolicy policy = refresh.isPresent() ? refresh.get().currentPolicy : g.instancesPolicy;
    Optional<LaunchTemplateData> launched = templates.version(g.templateId, version);
    String failure = launched.map(d -> faults.launchFailure(d.imageId())).orElse(null);
    if (failure != null) {
      g.activity("Failed", "Launching a new EC2 instance.  Status Reason: " + failure, failure, t);
      return;
    }
    boolean spot = spotNext(g, policy);
    var i =
        new SimInstance(
            "i-" + world.hex(17),
            subnet.availabilityZone(),
            subnet.id(),
            type(g, policy, launched.map(LaunchTemplateData::instanceType).orElse(null), spot),
            g.templateId,
            version,
            t,
            faults.failsHealthChecks(g.templateId, version),
            spot);
    g.instances.add(i);
    world.launched(i);
    g.activity("Successful", "Launching a new EC2 instance: " + i.id, null, t);
  }

  /**
   * Whether the next instance is bought as Spot: the On-Demand base first, then the On-Demand
   * percentage of what is above it (each instance counts as one capacity unit here).
   */
  private static boolean spotNext(SimGroup g, InstancesPolicy p) {
    if (p == null || !p.usesSpot()) {
      return false;
    }
    List<SimInstance> live = g.live();
    long onDemand = live.stream().filter(i -> !i.spot).count();
    int n = live.size() + 1;
    int above = Math.max(0, n - p.onDemandBase());
    long wantOnDemand =
        Math.min(n, p.onDemandBase())
            + (long) Math.ceil(above * p.onDemandPercentAboveBase() / 100.0);
    return onDemand >= wantOnDemand;
  }

  /**
   * The type launched: On-Demand takes the first type in order of preference (AWS's prioritized
   * strategy); Spot spreads over the types (capacity and price strategies use several pools).
   */
  private static String type(SimGroup g, InstancesPolicy p, String templateType, boolean spot) {
    List<String> candidates = candidates(p, templateType);
    if (candidates.isEmpty()) {
      return templateType == null ? "unknown" : templateType;
    }
    if (!spot) {
      return candidates.get(0);
    }
    Map<String, Long> perType =
        g.live().stream().collect(Collectors.groupingBy(i -> i.type, Collectors.counting()));
    return candidates.stream()
        .min(Comparator.comparingLong(c -> perType.getOrDefault(c, 0L)))
        .orElseThrow();
  }

  private static List<String> candidates(InstancesPolicy p, String templateType) {
    if (p == null || (p.types().isEmpty() && p.requirements() == null)) {
      return templateType == null ? List.of() : List.of(templateType);
    }
    if (!p.types().isEmpty()) {
      return p.typeNames();
    }
    return InstanceTypes.admitted(p.requirements()).stream()
        .limit(3)
        .map(InstanceTypes.Facts::type)
        .toList();
  }

  /** Whether the policy (null: the template alone) launches this type. */
  static boolean launchable(InstancesPolicy p, String type) {
    if (p == null || (p.types().isEmpty() && p.requirements() == null)) {
      return true;
    }
    if (!p.types().isEmpty()) {
      return p.typeNames().contains(type);
    }
    return InstanceTypes.facts(type)
        .map(
            f ->
                p.requirements()
                    .admits(f.type(), f.vcpus(), f.memoryMiB(), f.manufacturer(), f.burstable()))
        .orElse(false);
  }

  /** AWS's default termination policy: the zone with most instances, then the oldest template. */
  private Optional<SimInstance> pickForTermination(SimGroup g) {
    Map<String, Long> perZone =
        g.live().stream().collect(Collectors.groupingBy(i -> i.az, Collectors.counting()));
    long targetVersion = g.activeRefresh().map(r -> r.current).orElse(g.version);
    return g.live().stream()
        .min(
            Comparator.comparingLong((SimInstance i) -> -perZone.get(i.az))
                .thenComparing(i -> i.version == targetVersion ? 1 : 0)
                .thenComparing(i -> i.state == LifecycleState.Pending ? 0 : 1)
                .thenComparing(i -> i.launchedAt));
  }

  void terminate(SimInstance i, Instant t) {
    i.state = LifecycleState.Terminating;
    i.terminateAt = t.plus(world.settings().terminateTime());
    targetGroups.drain(i.id);
  }

  /** In service and passing every health check of its target groups: traffic reaches it. */
  boolean healthy(SimGroup g, SimInstance i) {
    return i.state.inService() && !i.failing && targetGroups.allHealthy(g.targetGroupArns, i.id);
  }

  double averageCpu(SimGroup g) {
    List<SimInstance> up = g.inService();
    return up.isEmpty() ? 0 : Math.min(100.0, faults.cpuDemand(g.name) / up.size());
  }

  /** Target tracking on ASGAverageCPUUtilization, one decision per metric period. */
  void scale(SimGroup g, Instant t) {
    var settings = world.settings();
    if (g.nextMetric == null) {
      g.nextMetric = t.plus(settings.metricPeriod());
    }
    if (g.policy == null || t.isBefore(g.nextMetric)) {
      return;
    }
    g.nextMetric = t.plus(settings.metricPeriod());
    List<SimInstance> up = g.inService();
    if (up.isEmpty()) {
      return;
    }
    int needed = (int) Math.ceil(up.size() * averageCpu(g) / g.policy.targetCpuUtilization());
    Duration warmup =
        g.policy.estimatedWarmupSeconds() == null
            ? settings.defaultWarmup()
            : Duration.ofSeconds(g.policy.estimatedWarmupSeconds());
    boolean warming =
        g.live().stream()
            .anyMatch(
                i ->
                    i.state == LifecycleState.Pending
                        || (i.inServiceAt != null && i.inServiceAt.plus(warmup).isAfter(t)));
    if (needed > g.desired && !warming) {
      g.desired = Math.min(g.max, needed);
      g.lastScaling = t;
    } else if (needed < g.desired
        && !g.policy.disableScaleIn()
        && !warming
        && !g.lastScaling.plus(settings.scaleInCooldown()).isAfter(t)) {
      // Scale in one step at a time, as target tracking does, to avoid overshooting.
      g.desired =
          Math.max(g.min, Math.max(needed, g.desired - Math.max(1, (g.desired - needed) / 2)));
      g.lastScaling = t;
    }
  }
}
