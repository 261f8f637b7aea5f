package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.WarmPoolConfig;
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
    var launchHook = g.hook(LifecycleHookConfig.LAUNCHING);
    for (SimInstance i : g.instances) {
      if ((i.state == LifecycleState.Pending || i.state == LifecycleState.PendingWait)
          && !i.launchedAt.plus(world.settings().bootTime()).isAfter(t)) {
        // A launch hook: the instance completes the action once its app answers (user data);
        // one whose app never does waits out the heartbeat timeout, then goes on (CONTINUE).
        if (launchHook.isPresent()
            && i.failing
            && i.launchedAt.plusSeconds(launchHook.get().heartbeatTimeoutSeconds()).isAfter(t)) {
          i.state = LifecycleState.PendingWait;
          continue;
        }
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

  /**
   * Spot interruptions: on EC2's rebalance recommendation a group with capacity rebalancing
   * launches a replacement at once and terminates the instance at risk once the replacement is in
   * service; EC2 interrupts the instance two minutes after the signal in any case.
   */
  void spotInterruptions(SimGroup g, Instant t) {
    for (int n = faults.takeSpotInterruptions(g.name); n > 0; n--) {
      g.live().stream()
          .filter(i -> i.spot && i.interruptAt == null && i.state.inService())
          .findFirst()
          .ifPresent(
              i -> {
                i.interruptAt = t.plus(SPOT_NOTICE);
                if (g.capacityRebalance) {
                  launch(g, t, Set.of(i)).ifPresent(r -> i.replacement = r.id);
                  g.activity(
                      "Successful",
                      "Launching a new EC2 instance in response to an EC2 instance rebalance"
                          + " recommendation for "
                          + i.id,
                      null,
                      t);
                }
              });
    }
    for (SimInstance i : g.live()) {
      if (i.interruptAt == null) {
        continue;
      }
      boolean replaced =
          i.replacement != null && g.inService().stream().anyMatch(r -> r.id.equals(i.replacement));
      if (replaced || !i.interruptAt.isAfter(t)) {
        terminate(g, i, t);
        g.activity(
            "Successful",
            "Terminating EC2 instance: "
                + i.id
                + (replaced
                    ? " (its replacement after a rebalance recommendation is in service)"
                    : " (Spot interruption)"),
            null,
            t);
      }
    }
  }

  /** EC2's notice before it interrupts a Spot instance. */
  static final Duration SPOT_NOTICE = Duration.ofMinutes(2);

  /** ELB health checks: an instance its target group calls unhealthy is replaced. */
  void replaceUnhealthy(SimGroup g, Instant t) {
    if (g.healthCheckType != HealthCheckType.ELB) {
      return;
    }
    for (SimInstance i : g.live()) {
      boolean unhealthy = i.state.inService() && targetGroups.anyUnhealthy(g.targetGroupArns, i.id);
      if (unhealthy && !i.launchedAt.plusSeconds(Math.min(g.grace, 60)).isAfter(t)) {
        i.healthy = false;
        terminate(g, i, t);
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
    List<SimInstance> live = g.counted();
    for (int n = live.size(); n < want; n++) {
      if (!fromWarmPool(g, t)) {
        launch(g, t, leaving(g));
      }
    }
    if (live.size() > want) {
      int excess = live.size() - want;
      for (int n = 0; n < excess; n++) {
        pickForTermination(g).ifPresent(i -> scaleIn(g, i, t));
      }
    }
  }

  /**
   * The warm pool (AWS's sizing): max(minSize, maxGroupPreparedCapacity (default: the group's max)
   * minus desired capacity) instances launched ahead and initialised, then kept in the pool state;
   * a pool being deleted loses its instances, then goes.
   */
  void warmPool(SimGroup g, Instant t) {
    if (g.warmPool == null) {
      return;
    }
    for (SimInstance i : g.warm) {
      if (i.warmState.equals(WarmPoolConfig.WARMED_PENDING)
          && !i.launchedAt.plus(world.settings().bootTime()).isAfter(t)) {
        i.warmState = g.warmPool.warmedState();
      }
    }
    if (g.warmPoolDeleting || g.deleting) {
      g.warm.forEach(world::gone);
      g.warm.clear();
      g.warmPool = null;
      g.warmPoolDeleting = false;
      return;
    }
    // Warm instances of another template version than the group's are replaced.
    g.warm.removeIf(
        i -> {
          boolean stale = i.version != g.version;
          if (stale) {
            world.gone(i);
          }
          return stale;
        });
    int prepared =
        g.warmPool.maxGroupPreparedCapacity() == null
            ? g.max
            : g.warmPool.maxGroupPreparedCapacity();
    int size = Math.max(g.warmPool.minSize(), prepared - g.desired);
    while (g.warm.size() < size) {
      var i =
          new SimInstance(
              "i-" + world.hex(17),
              "-",
              "-",
              templates
                  .version(g.templateId, g.version)
                  .map(LaunchTemplateData::instanceType)
                  .orElse("unknown"),
              g.templateId,
              g.version,
              t,
              faults.failsHealthChecks(g.templateId, g.version),
              false);
      i.warmState = WarmPoolConfig.WARMED_PENDING;
      g.warm.add(i);
      world.launched(i);
    }
    while (g.warm.size() > size) {
      world.gone(g.warm.remove(g.warm.size() - 1));
    }
  }

  /**
   * Scale-out takes an initialised warm instance first: it only has to start (a running one is
   * there at once), so it is in service sooner than a cold launch, which boots and initialises.
   */
  private boolean fromWarmPool(SimGroup g, Instant t) {
    if (g.warmPool == null || g.warmPoolDeleting || g.activeRefresh().isPresent()) {
      return false;
    }
    Optional<SimInstance> ready =
        g.warm.stream().filter(i -> !i.warmState.equals(WarmPoolConfig.WARMED_PENDING)).findFirst();
    if (ready.isEmpty()) {
      return false;
    }
    SimInstance w = ready.get();
    g.warm.remove(w);
    world.gone(w);
    Duration boot = world.settings().bootTime();
    Duration start = w.warmState.equals("Warmed:Running") ? Duration.ZERO : boot.dividedBy(5);
    var subnet = subnetFor(g, Set.of());
    var i =
        new SimInstance(
            w.id,
            subnet.availabilityZone(),
            subnet.id(),
            w.type,
            w.templateId,
            w.version,
            t.minus(boot).plus(start),
            w.failing,
            false);
    g.instances.add(i);
    world.launched(i);
    g.activity("Successful", "Launching a new EC2 instance from warm pool: " + i.id, null, t);
    return true;
  }

  /** Scale-in: back to the warm pool when it reuses instances, else terminated. */
  private void scaleIn(SimGroup g, SimInstance i, Instant t) {
    if (g.warmPool != null
        && g.warmPool.reuseOnScaleIn()
        && !g.warmPoolDeleting
        && i.state.inService()
        && i.version == g.version) {
      g.instances.remove(i);
      targetGroups.deregister(i.id);
      i.warmState = g.warmPool.warmedState();
      g.warm.add(i);
      return;
    }
    terminate(g, i, t);
  }

  /** Instances a running refresh is about to replace: they do not count when balancing zones. */
  private Set<SimInstance> leaving(SimGroup g) {
    return new HashSet<>(g.activeRefresh().map(r -> Refreshes.toReplace(g, r)).orElse(List.of()));
  }

  /** The subnet in the zone with fewest instances (those about to be replaced left out). */
  private Subnet subnetFor(SimGroup g, Set<SimInstance> leaving) {
    Map<String, Long> perZone =
        g.live().stream()
            .filter(i -> !leaving.contains(i))
            .collect(Collectors.groupingBy(i -> i.az, Collectors.counting()));
    return g.subnetIds.stream()
        .map(world::subnet)
        .flatMap(Optional::stream)
        .min(
            Comparator.comparingLong((Subnet s) -> perZone.getOrDefault(s.availabilityZone(), 0L))
                .thenComparing(Subnet::id))
        .orElseThrow();
  }

  private Optional<SimInstance> launch(SimGroup g, Instant t, Set<SimInstance> leaving) {
    var subnet = subnetFor(g, leaving);
    Optional<SimRefresh> refresh = g.activeRefresh().filter(SimRefresh::replacing);
    long version = refresh.map(r -> r.current).orElse(g.version);
    InstancesPolicy policy = refresh.isPresent() ? refresh.get().currentPolicy : g.instancesPolicy;
    Optional<LaunchTemplateData> launched = templates.version(g.templateId, version);
    String failure = launched.map(d -> faults.launchFailure(d.imageId())).orElse(null);
    if (failure != null) {
      g.activity("Failed", "Launching a new EC2 instance.  Status Reason: " + failure, failure, t);
      return Optional.empty();
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
    return Optional.of(i);
  }

  /**
   * Which kind is in excess once one instance goes: true Spot, false On-Demand, null when the group
   * buys no Spot.
   */
  private static Boolean spotInExcess(SimGroup g) {
    InstancesPolicy p = g.instancesPolicy;
    if (p == null || !p.usesSpot()) {
      return null;
    }
    List<SimInstance> live = g.live();
    long onDemand = live.stream().filter(i -> !i.spot).count();
    return onDemand <= wantedOnDemand(p, live.size() - 1);
  }

  /** On-Demand instances a group of n instances keeps: the base, then its percentage above. */
  private static long wantedOnDemand(InstancesPolicy p, int n) {
    int above = Math.max(0, n - p.onDemandBase());
    return Math.min(n, p.onDemandBase())
        + (long) Math.ceil(above * p.onDemandPercentAboveBase() / 100.0);
  }

  /**
   * Whether the next instance is bought as Spot: the On-Demand base first, then the On-Demand
   * percentage of what is above it (each instance counts as one capacity unit here).
   */
  private static boolean spotNext(SimGroup g, InstancesPolicy p) {
    if (p == null || !p.usesSpot()) {
      return false;
    }
    List<SimInstance> live = g.counted();
    long onDemand = live.stream().filter(i -> !i.spot).count();
    return onDemand >= wantedOnDemand(p, live.size() + 1);
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
    // A mixed group first keeps its On-Demand/Spot split: the kind in excess goes (a refresh
    // replaces what it replaces).
    Boolean spotGoes = g.activeRefresh().isPresent() ? null : spotInExcess(g);
    return g.live().stream()
        .min(
            Comparator.comparingInt(
                    (SimInstance i) -> spotGoes == null || i.spot == spotGoes ? 0 : 1)
                .thenComparingLong((SimInstance i) -> -perZone.get(i.az))
                .thenComparing(i -> i.version == targetVersion ? 1 : 0)
                .thenComparing(i -> i.state == LifecycleState.Pending ? 0 : 1)
                .thenComparing(i -> i.launchedAt));
  }

  /**
   * Takes the instance out: it leaves its target groups (draining for their deregistration delay),
   * then, with a termination hook, waits in Terminating:Wait for the hook's heartbeat timeout (the
   * sandbox's instances never complete the action sooner), then terminates.
   */
  void terminate(SimGroup g, SimInstance i, Instant t) {
    terminate(i, t);
    g.hook(LifecycleHookConfig.TERMINATING)
        .ifPresent(
            drain -> {
              i.state = LifecycleState.TerminatingWait;
              i.terminateAt = i.terminateAt.plusSeconds(drain.heartbeatTimeoutSeconds());
            });
  }

  /** Terminates at once, hooks or not (a group deleted with ForceDelete). */
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
