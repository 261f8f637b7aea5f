package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.Subnet;
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
    long version =
        g.activeRefresh().filter(SimRefresh::replacing).map(r -> r.current).orElse(g.version);
    Optional<LaunchTemplateData> launched = templates.version(g.templateId, version);
    String failure = launched.map(d -> faults.launchFailure(d.imageId())).orElse(null);
    if (failure != null) {
      g.activity("Failed", "Launching a new EC2 instance.  Status Reason: " + failure, failure, t);
      return;
    }
    var i =
        new SimInstance(
            "i-" + world.hex(17),
            subnet.availabilityZone(),
            subnet.id(),
            launched.map(LaunchTemplateData::instanceType).orElse("unknown"),
            g.templateId,
            version,
            t,
            faults.failsHealthChecks(g.templateId, version));
    g.instances.add(i);
    world.launched(i);
    g.activity("Successful", "Launching a new EC2 instance: " + i.id, null, t);
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
