package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.LifecycleState;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.Subnets;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An in-process model of the AWS side over a {@link SimClock}: launch templates with numbered
 * versions, subnets in availability zones, target groups with health checks, Auto Scaling Groups
 * that launch and terminate instances across their zones, a CPU signal per group driving the
 * target-tracking policy (scale out, scale in after a cooldown, warmup), and instance refreshes
 * with min/max healthy percentage, warmup, skip matching, cancel, failure and rollback.
 *
 * <p>Time moves only with the clock; every call first brings the model up to the clock's time in
 * fixed steps, so a test or the sandbox can compress hours into seconds. One region; errors use
 * AWS's codes and the operator's {@link CloudException} kinds, as the AWS adapters do.
 */
public final class SimulatedCloud implements CloudProvider {
  private static final int ACTIVITY_HISTORY = AutoScalingGroups.ACTIVITY_HISTORY;
  private static final int REFRESH_HISTORY = AutoScalingGroups.REFRESH_HISTORY;

  /** How the simulated world behaves; the defaults follow AWS's documented defaults. */
  public record Settings(
      Duration step,
      Duration bootTime,
      Duration terminateTime,
      Duration metricPeriod,
      Duration scaleInCooldown,
      Duration defaultWarmup,
      int failedLaunchesToFailRefresh) {
    public static final Settings DEFAULT =
        new Settings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(40),
            Duration.ofSeconds(20),
            Duration.ofSeconds(60),
            Duration.ofSeconds(300),
            Duration.ofSeconds(60),
            3);
  }

  private final SimClock clock;
  private final Settings settings;
  private final String account = "123456789012";
  private final String region;
  private Instant lastTick;
  private long ids = 0x1000;

  private final Map<String, Subnet> subnets = new LinkedHashMap<>();
  private final Map<String, Template> templates = new LinkedHashMap<>();
  private final Map<String, String> templateTokens = new HashMap<>();
  private final Map<String, TargetGroup> targetGroups = new LinkedHashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
  private final Map<String, Double> cpuLoad = new HashMap<>();
  private final Set<String> failingVersions = new HashSet<>();
  private final Map<String, String> failingLaunches = new HashMap<>();
  private final Map<String, Integer> calls = new TreeMap<>();
  private final Cloud cloud;

  public SimulatedCloud(SimClock clock, Settings settings, String region) {
    this.clock = clock;
    this.settings = settings;
    this.region = region;
    this.lastTick = clock.instant();
    this.cloud =
        new Cloud(
            new SimLaunchTemplates(),
            new SimSubnets(),
            new SimTargetGroups(),
            new SimGroups(),
            new SimLoadBalancers());
  }

  public SimulatedCloud(SimClock clock) {
    this(clock, Settings.DEFAULT, "us-east-1");
  }

  @Override
  public Cloud forRegion(String r) {
    return cloud;
  }

  public SimClock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- the world's controls

  /** A subnet in {@code az} of {@code vpc}, as the user's network would provide. */
  public synchronized Subnet addSubnet(String vpcId, String availabilityZone) {
    return addSubnet("subnet-" + hex(17), vpcId, availabilityZone);
  }

  /** A subnet with a given id (the one a manifest names). */
  public synchronized Subnet addSubnet(String id, String vpcId, String availabilityZone) {
    var s = new Subnet(id, vpcId, availabilityZone);
    subnets.put(s.id(), s);
    return s;
  }

  /**
   * The CPU demand on a group, in percent of one instance (200 = two instances fully busy); spread
   * evenly over its InService instances, each capped at 100.
   */
  public synchronized void setCpuDemand(String groupName, double percentOfOneInstance) {
    tick();
    cpuLoad.put(groupName, percentOfOneInstance);
  }

  /** Instances launched from this template version never pass their health checks. */
  public synchronized void failHealthChecksOf(String templateId, long version) {
    failingVersions.add(templateId + ":" + version);
  }

  /**
   * Launches of instances from this image fail, as AWS fails them for an image that does not exist
   * (or a missing key pair, an exhausted quota): no instance, and a Failed scaling activity
   * carrying {@code message}.
   */
  public synchronized void failLaunchesFromImage(String imageId, String message) {
    failingLaunches.put(imageId, message);
  }

  /** Launches succeed again. */
  public synchronized void healLaunches() {
    failingLaunches.clear();
  }

  /** Calls made through the port, by "Port.method". */
  public synchronized Map<String, Integer> calls() {
    return new TreeMap<>(calls);
  }

  /** Brings the model up to the clock's time. */
  public synchronized void tick() {
    Instant now = clock.instant();
    while (!lastTick.plus(settings.step()).isAfter(now)) {
      lastTick = lastTick.plus(settings.step());
      step(lastTick);
    }
  }

  /** What a user would see in the console: one line per group. */
  public synchronized List<GroupView> view() {
    tick();
    return groups.values().stream().map(this::view).toList();
  }

  /** The console line of one group; empty when there is no such group (yet). */
  public synchronized Optional<GroupView> view(String groupName) {
    tick();
    return Optional.ofNullable(groups.get(groupName)).map(this::view);
  }

  /** A group's instances by zone and type, healthy targets, CPU and its refresh. */
  public record GroupView(
      String name,
      int desired,
      Map<String, Map<String, Long>> inServiceByZoneAndType,
      int healthyTargets,
      double averageCpu,
      String refresh) {

    /** Instances InService by type, over all zones. */
    public Map<String, Long> inServiceByType() {
      var types = new TreeMap<String, Long>();
      inServiceByZoneAndType
          .values()
          .forEach(m -> m.forEach((t, n) -> types.merge(t, n, Long::sum)));
      return types;
    }
  }

  private GroupView view(Group g) {
    Map<String, Map<String, Long>> byZone = new TreeMap<>();
    for (Instance i : g.instances) {
      if (i.state.inService()) {
        byZone.computeIfAbsent(i.az, k -> new TreeMap<>()).merge(i.type, 1L, Long::sum);
      }
    }
    int healthy =
        g.targetGroupArns.stream()
            .map(this::targetGroupByArn)
            .filter(Optional::isPresent)
            .mapToInt(
                tg ->
                    (int)
                        tg.get().targets.values().stream()
                            .filter(t -> t.state.equals("healthy"))
                            .count())
            .sum();
    String refresh = g.refreshes.isEmpty() ? null : g.refreshes.get(0).describe();
    return new GroupView(g.name, g.desired, byZone, healthy, averageCpu(g), refresh);
  }

  // ---------------------------------------------------------------- model

  private static final class Template {
    String id;
    String name;
    Map<String, String> tags;
    TreeMap<Long, LaunchTemplateData> versions = new TreeMap<>();
    Map<String, Long> versionTokens = new HashMap<>();
    long latest;
    long defaultVersion = 1;
  }

  private static final class TargetGroup {
    String arn;
    TargetGroupConfig config;
    Map<String, String> tags;
    Map<String, Target> targets = new LinkedHashMap<>();
  }

  private static final class Target {
    String state = "initial";
    Instant since;
  }

  private static final class LoadBalancer {
    String arn;
    String dnsName;
    LoadBalancerConfig config;
    Map<String, String> tags;
    List<ObservedLoadBalancer.Listener> listeners = new ArrayList<>();
  }

  private static final class Instance {
    String id;
    String az;
    String subnet;
    String type;
    String templateId;
    long version;
    LifecycleState state = LifecycleState.Pending;
    boolean healthy = true;
    Instant launchedAt;
    Instant inServiceAt;
    Instant terminateAt;
    boolean failing;
  }

  private static final class Refresh {
    String id;
    RefreshStatus status = RefreshStatus.Pending;
    String statusReason;

    /** The version the refresh was started toward (what AWS keeps reporting, also in rollback). */
    long target;

    /**
     * The version instances are being replaced with now: the target, or the previous in rollback.
     */
    long current;

    long previous;
    String templateId;
    RefreshPreferences prefs;
    Instant start;
    Instant end;
    int toReplaceAtStart;
    int failedLaunches;
    Set<String> replaced = new HashSet<>();

    boolean active() {
      return status.active();
    }

    ObservedRefresh observed(int remaining) {
      int pct =
          toReplaceAtStart == 0
              ? 100
              : Math.min(
                  100, (int) Math.round(100.0 * (toReplaceAtStart - remaining) / toReplaceAtStart));
      if (!active()) {
        pct = status == RefreshStatus.Successful ? 100 : pct;
      }
      return new ObservedRefresh(
          id, status, statusReason, pct, active() ? remaining : 0, target, start, end);
    }

    String describe() {
      return status + " toward v" + target;
    }
  }

  private static final class Group {
    String name;
    String arn;
    int min;
    int max;
    int desired;
    List<String> subnetIds;
    String templateId;
    long version;
    List<String> targetGroupArns;
    HealthCheckType healthCheckType;
    int grace;
    Map<String, String> tags;
    List<Instance> instances = new ArrayList<>();
    boolean deleting;
    ScalingPolicyConfig policy;
    Instant lastScaling = Instant.EPOCH;
    Instant nextMetric;
    List<Refresh> refreshes = new ArrayList<>();
    List<io.scalableapp.operator.cloud.ScalingActivity> activities = new ArrayList<>();

    void activity(String status, String description, String message, Instant t) {
      activities.add(
          0, new io.scalableapp.operator.cloud.ScalingActivity(status, description, message, t));
      if (activities.size() > 20) {
        activities.remove(activities.size() - 1);
      }
    }

    Optional<Refresh> activeRefresh() {
      return refreshes.stream().filter(Refresh::active).findFirst();
    }

    List<Instance> live() {
      return instances.stream().filter(i -> !i.state.leaving()).toList();
    }
  }

  private void step(Instant t) {
    for (Group g : List.copyOf(groups.values())) {
      lifecycle(g, t);
      if (g.deleting) {
        if (g.instances.isEmpty()) {
          groups.remove(g.name);
        }
        continue;
      }
      healthReplacement(g, t);
      refresh(g, t);
      capacity(g, t);
      scaling(g, t);
    }
    for (TargetGroup tg : targetGroups.values()) {
      health(tg, t);
    }
  }

  private void lifecycle(Group g, Instant t) {
    for (Instance i : g.instances) {
      if (i.state == LifecycleState.Pending && !i.launchedAt.plus(settings.bootTime()).isAfter(t)) {
        i.state = LifecycleState.InService;
        i.inServiceAt = t;
        for (String arn : g.targetGroupArns) {
          targetGroupByArn(arn)
              .ifPresent(
                  tg -> {
                    var target = new Target();
                    target.since = t;
                    tg.targets.put(i.id, target);
                  });
        }
      }
    }
    g.instances.removeIf(
        i -> {
          boolean gone = i.state.leaving() && !i.terminateAt.isAfter(t);
          if (gone) {
            targetGroups.values().forEach(tg -> tg.targets.remove(i.id));
          }
          return gone;
        });
  }

  private void health(TargetGroup tg, Instant t) {
    var hc = tg.config.healthCheck();
    for (var e : tg.targets.entrySet()) {
      Instance i = instance(e.getKey()).orElse(null);
      Target target = e.getValue();
      if (i == null) {
        continue;
      }
      if (i.failing
          && !target.state.equals("unhealthy")
          && !target
              .since
              .plus(Duration.ofSeconds((long) hc.intervalSeconds() * hc.unhealthyThreshold()))
              .isAfter(t)) {
        target.state = "unhealthy";
        target.since = t;
      } else if (!i.failing
          && target.state.equals("initial")
          && !target
              .since
              .plus(Duration.ofSeconds((long) hc.intervalSeconds() * hc.healthyThreshold()))
              .isAfter(t)) {
        target.state = "healthy";
        target.since = t;
      }
    }
  }

  /** ELB health checks: an instance its target group calls unhealthy is replaced. */
  private void healthReplacement(Group g, Instant t) {
    if (g.healthCheckType != HealthCheckType.ELB) {
      return;
    }
    for (Instance i : g.live()) {
      boolean unhealthy =
          i.state.inService()
              && g.targetGroupArns.stream()
                  .map(this::targetGroupByArn)
                  .flatMap(Optional::stream)
                  .anyMatch(
                      tg ->
                          Optional.ofNullable(tg.targets.get(i.id))
                              .map(x -> x.state.equals("unhealthy"))
                              .orElse(false));
      if (unhealthy && !i.launchedAt.plusSeconds(Math.min(g.grace, 60)).isAfter(t)) {
        i.healthy = false;
        terminate(i, t);
        g.activeRefresh()
            .filter(r -> r.status == RefreshStatus.InProgress && i.version == r.target)
            .ifPresent(r -> r.failedLaunches++);
      }
    }
  }

  private void capacity(Group g, Instant t) {
    int surge = g.activeRefresh().map(r -> surge(g, r)).orElse(0);
    int want = g.desired + surge;
    List<Instance> live = g.live();
    for (int n = live.size(); n < want; n++) {
      launch(g, t);
    }
    if (live.size() > want) {
      int excess = live.size() - want;
      for (int n = 0; n < excess; n++) {
        pickForTermination(g).ifPresent(i -> terminate(i, t));
      }
    }
  }

  private int surge(Group g, Refresh r) {
    if (!replacing(r)) {
      return 0;
    }
    int maxTotal = (int) Math.floor(g.desired * r.prefs.maxHealthyPercentage() / 100.0);
    return Math.max(0, Math.min(maxTotal - g.desired, toReplace(g, r).size()));
  }

  private void launch(Group g, Instant t) {
    // Balance zones over the instances that will stay: those a refresh is about to replace do not
    // count.
    Set<Instance> leaving =
        new HashSet<>(g.activeRefresh().map(r -> toReplace(g, r)).orElse(List.of()));
    Map<String, Long> perZone =
        g.live().stream()
            .filter(i -> !leaving.contains(i))
            .collect(Collectors.groupingBy(i -> i.az, Collectors.counting()));
    Subnet subnet =
        g.subnetIds.stream()
            .map(subnets::get)
            .min(
                Comparator.comparingLong(
                        (Subnet s) -> perZone.getOrDefault(s.availabilityZone(), 0L))
                    .thenComparing(Subnet::id))
            .orElseThrow();
    long version =
        g.activeRefresh().filter(SimulatedCloud::replacing).map(r -> r.current).orElse(g.version);
    Template template =
        templates.values().stream().filter(x -> x.id.equals(g.templateId)).findFirst().orElse(null);
    LaunchTemplateData launched = template == null ? null : template.versions.get(version);
    String failure = launched == null ? null : failingLaunches.get(launched.imageId());
    if (failure != null) {
      g.activity("Failed", "Launching a new EC2 instance.  Status Reason: " + failure, failure, t);
      return;
    }
    var i = new Instance();
    i.id = "i-" + hex(17);
    i.az = subnet.availabilityZone();
    i.subnet = subnet.id();
    i.templateId = g.templateId;
    i.version = version;
    Template lt =
        templates.values().stream().filter(x -> x.id.equals(g.templateId)).findFirst().orElse(null);
    i.type =
        lt == null || lt.versions.get(version) == null
            ? "unknown"
            : lt.versions.get(version).instanceType();
    i.launchedAt = t;
    i.failing = failingVersions.contains(g.templateId + ":" + version);
    g.instances.add(i);
    g.activity("Successful", "Launching a new EC2 instance: " + i.id, null, t);
  }

  /** AWS's default termination policy: the zone with most instances, then the oldest template. */
  private Optional<Instance> pickForTermination(Group g) {
    Map<String, Long> perZone =
        g.live().stream().collect(Collectors.groupingBy(i -> i.az, Collectors.counting()));
    long targetVersion = g.activeRefresh().map(r -> r.current).orElse(g.version);
    return g.live().stream()
        .min(
            Comparator.comparingLong((Instance i) -> -perZone.get(i.az))
                .thenComparing(i -> i.version == targetVersion ? 1 : 0)
                .thenComparing(i -> i.state == LifecycleState.Pending ? 0 : 1)
                .thenComparing(i -> i.launchedAt));
  }

  private void terminate(Instance i, Instant t) {
    i.state = LifecycleState.Terminating;
    i.terminateAt = t.plus(settings.terminateTime());
    targetGroups
        .values()
        .forEach(
            tg -> Optional.ofNullable(tg.targets.get(i.id)).ifPresent(x -> x.state = "draining"));
  }

  private double averageCpu(Group g) {
    List<Instance> up = g.instances.stream().filter(i -> i.state.inService()).toList();
    if (up.isEmpty()) {
      return 0;
    }
    return Math.min(100.0, cpuLoad.getOrDefault(g.name, 0.0) / up.size());
  }

  /** Target tracking on ASGAverageCPUUtilization, one decision per metric period. */
  private void scaling(Group g, Instant t) {
    if (g.nextMetric == null) {
      g.nextMetric = t.plus(settings.metricPeriod());
    }
    if (g.policy == null || t.isBefore(g.nextMetric)) {
      return;
    }
    g.nextMetric = t.plus(settings.metricPeriod());
    List<Instance> up = g.instances.stream().filter(i -> i.state.inService()).toList();
    if (up.isEmpty()) {
      return;
    }
    double avg = averageCpu(g);
    int needed = (int) Math.ceil(up.size() * avg / g.policy.targetCpuUtilization());
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

  /** Replacing instances: rolling forward or back. */
  private static boolean replacing(Refresh r) {
    return r.status == RefreshStatus.InProgress || r.status == RefreshStatus.RollbackInProgress;
  }

  private List<Instance> toReplace(Group g, Refresh r) {
    return g.live().stream()
        .filter(i -> !r.replaced.contains(i.id))
        .filter(
            i ->
                i.version != r.current
                    || (!r.prefs.skipMatching() && i.launchedAt.isBefore(r.start)))
        .toList();
  }

  private void refresh(Group g, Instant t) {
    Optional<Refresh> active = g.activeRefresh();
    if (active.isEmpty()) {
      return;
    }
    Refresh r = active.get();
    switch (r.status) {
      case Pending -> {
        r.status = RefreshStatus.InProgress;
        r.toReplaceAtStart = toReplace(g, r).size();
      }
      case Cancelling -> {
        r.status = RefreshStatus.Cancelled;
        r.end = t;
        r.statusReason = "Cancelled by request";
      }
      case InProgress, RollbackInProgress -> replaceBatch(g, r, t);
      default -> {}
    }
  }

  private void replaceBatch(Group g, Refresh r, Instant t) {
    if (r.status == RefreshStatus.InProgress
        && r.failedLaunches >= settings.failedLaunchesToFailRefresh()) {
      r.statusReason =
          r.failedLaunches
              + " instances launched from version "
              + r.target
              + " failed their health checks";
      if (r.prefs.autoRollback()) {
        r.status = RefreshStatus.RollbackInProgress;
        r.current = r.previous;
        r.replaced.clear();
        r.toReplaceAtStart = toReplace(g, r).size();
      } else {
        r.status = RefreshStatus.Failed;
        r.end = t;
      }
      return;
    }
    Duration warmup =
        r.prefs.instanceWarmupSeconds() == null
            ? settings.defaultWarmup()
            : Duration.ofSeconds(r.prefs.instanceWarmupSeconds());
    List<Instance> remaining = toReplace(g, r);
    boolean settling =
        g.live().stream()
            .anyMatch(
                i ->
                    i.version == r.current
                        && (i.state == LifecycleState.Pending
                            || i.inServiceAt == null
                            || i.inServiceAt.plus(warmup).isAfter(t)));
    if (remaining.isEmpty() && !settling) {
      r.status =
          r.status == RefreshStatus.RollbackInProgress
              ? RefreshStatus.RollbackSuccessful
              : RefreshStatus.Successful;
      r.end = t;
      if (r.status == RefreshStatus.Successful) {
        g.version = r.target;
      }
      return;
    }
    if (settling) {
      return;
    }
    int minHealthy = (int) Math.ceil(g.desired * r.prefs.minHealthyPercentage() / 100.0);
    int healthy = (int) g.live().stream().filter(i -> healthy(g, i, t, warmup)).count();
    int batch = Math.min(remaining.size(), Math.max(1, healthy - minHealthy));
    remaining.stream()
        .sorted(Comparator.comparing((Instance i) -> i.launchedAt))
        .limit(batch)
        .forEach(
            i -> {
              r.replaced.add(i.id);
              terminate(i, t);
            });
  }

  private boolean healthy(Group g, Instance i, Instant t, Duration warmup) {
    if (!i.state.inService() || i.failing) {
      return false;
    }
    if (g.targetGroupArns.isEmpty()) {
      return true;
    }
    return g.targetGroupArns.stream()
        .map(this::targetGroupByArn)
        .flatMap(Optional::stream)
        .allMatch(
            tg ->
                Optional.ofNullable(tg.targets.get(i.id))
                    .map(x -> x.state.equals("healthy"))
                    .orElse(false));
  }

  /** Instances in service whose targets are healthy: what a user's traffic can reach. */
  public synchronized int healthyInService(String groupName) {
    tick();
    Group g = groups.get(groupName);
    return g == null
        ? 0
        : (int)
            g.live().stream().filter(i -> healthy(g, i, clock.instant(), Duration.ZERO)).count();
  }

  // ---------------------------------------------------------------- helpers

  private Optional<Instance> instance(String id) {
    return groups.values().stream()
        .flatMap(g -> g.instances.stream())
        .filter(i -> i.id.equals(id))
        .findFirst();
  }

  private Optional<TargetGroup> targetGroupByArn(String arn) {
    return targetGroups.values().stream().filter(tg -> tg.arn.equals(arn)).findFirst();
  }

  private String hex(int digits) {
    String h = Long.toHexString(ids++);
    return "0".repeat(Math.max(0, digits - h.length())) + h;
  }

  private void count(String call) {
    calls.merge(call, 1, Integer::sum);
    tick();
  }

  private static CloudException error(Kind kind, String code, String message, String operation) {
    return new CloudException(kind, code, message, operation, null);
  }

  private Group group(String name, String operation) {
    Group g = groups.get(name);
    if (g == null) {
      throw error(
          Kind.NOT_FOUND,
          "ValidationError",
          "AutoScalingGroup name not found - AutoScalingGroup '" + name + "' not found",
          operation);
    }
    return g;
  }

  private Template templateById(String id, String operation) {
    return templates.values().stream()
        .filter(t -> t.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                error(
                    Kind.NOT_FOUND,
                    "InvalidLaunchTemplateId.NotFound",
                    "The specified launch template, with template ID " + id + ", does not exist.",
                    operation));
  }

  // ---------------------------------------------------------------- the port

  private final class SimLaunchTemplates implements LaunchTemplates {
    @Override
    public Optional<ObservedLaunchTemplate> find(String name) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.find");
        return Optional.ofNullable(templates.get(name))
            .map(
                t ->
                    new ObservedLaunchTemplate(
                        t.id,
                        t.name,
                        Map.copyOf(t.tags),
                        t.latest,
                        t.defaultVersion,
                        t.versions.get(t.latest)));
      }
    }

    @Override
    public String create(
        String name, LaunchTemplateData data, Map<String, String> tags, String clientToken) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.create");
        String earlier = templateTokens.get(clientToken);
        if (earlier != null) {
          return earlier;
        }
        if (templates.containsKey(name)) {
          throw error(
              Kind.ALREADY_EXISTS,
              "InvalidLaunchTemplateName.AlreadyExistsException",
              "Launch template name already in use.",
              "CreateLaunchTemplate");
        }
        var t = new Template();
        t.id = "lt-" + hex(17);
        t.name = name;
        t.tags = new LinkedHashMap<>(tags);
        t.versions.put(1L, data);
        t.latest = 1;
        templates.put(name, t);
        templateTokens.put(clientToken, t.id);
        return t.id;
      }
    }

    @Override
    public long createVersion(String templateId, LaunchTemplateData data, String clientToken) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.createVersion");
        Template t = templateById(templateId, "CreateLaunchTemplateVersion");
        Long earlier = t.versionTokens.get(clientToken);
        if (earlier != null) {
          return earlier;
        }
        t.latest++;
        t.versions.put(t.latest, data);
        t.versionTokens.put(clientToken, t.latest);
        return t.latest;
      }
    }

    @Override
    public void delete(String templateId) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.delete");
        templates.values().removeIf(t -> t.id.equals(templateId));
      }
    }

    @Override
    public void setDefaultVersion(String templateId, long version) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.setDefaultVersion");
        Template t = templateById(templateId, "ModifyLaunchTemplate");
        if (!t.versions.containsKey(version)) {
          throw error(
              Kind.INVALID_REQUEST,
              "InvalidLaunchTemplateId.VersionNotFound",
              "Could not find launch template version " + version,
              "ModifyLaunchTemplate");
        }
        t.defaultVersion = version;
      }
    }

    @Override
    public void deleteVersions(String templateId, List<Long> versions) {
      synchronized (SimulatedCloud.this) {
        count("LaunchTemplates.deleteVersions");
        Template t = templateById(templateId, "DeleteLaunchTemplateVersions");
        if (versions.contains(t.defaultVersion)) {
          throw error(
              Kind.INVALID_REQUEST,
              "InvalidLaunchTemplateId.CannotDeleteDefault",
              "Cannot delete the default version " + t.defaultVersion,
              "DeleteLaunchTemplateVersions");
        }
        versions.forEach(t.versions::remove);
      }
    }
  }

  private final class SimSubnets implements Subnets {
    @Override
    public List<Subnet> describe(List<String> ids) {
      synchronized (SimulatedCloud.this) {
        count("Subnets.describe");
        return ids.stream()
            .map(
                id ->
                    Optional.ofNullable(subnets.get(id))
                        .orElseThrow(
                            () ->
                                error(
                                    Kind.INVALID_REQUEST,
                                    "InvalidSubnetID.NotFound",
                                    "The subnet ID '" + id + "' does not exist",
                                    "DescribeSubnets")))
            .toList();
      }
    }
  }

  private final class SimTargetGroups implements TargetGroups {
    @Override
    public Optional<ObservedTargetGroup> find(String name) {
      synchronized (SimulatedCloud.this) {
        count("TargetGroups.find");
        return Optional.ofNullable(targetGroups.get(name))
            .map(
                tg ->
                    new ObservedTargetGroup(
                        tg.arn,
                        tg.config,
                        Map.copyOf(tg.tags),
                        (int)
                            tg.targets.values().stream()
                                .filter(x -> x.state.equals("healthy"))
                                .count()));
      }
    }

    @Override
    public String create(TargetGroupConfig config, Map<String, String> tags) {
      synchronized (SimulatedCloud.this) {
        count("TargetGroups.create");
        TargetGroup existing = targetGroups.get(config.name());
        if (existing != null) {
          if (existing.config.equals(config)) {
            return existing.arn;
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
                + region
                + ":"
                + account
                + ":targetgroup/"
                + config.name()
                + "/"
                + hex(16);
        tg.config = config;
        tg.tags = new LinkedHashMap<>(tags);
        targetGroups.put(config.name(), tg);
        return tg.arn;
      }
    }

    @Override
    public void modifyHealthCheck(String arn, TargetGroupConfig.HealthCheckConfig hc) {
      synchronized (SimulatedCloud.this) {
        count("TargetGroups.modifyHealthCheck");
        TargetGroup tg =
            targetGroupByArn(arn)
                .orElseThrow(
                    () ->
                        error(
                            Kind.NOT_FOUND,
                            "TargetGroupNotFound",
                            "One or more target groups not found",
                            "ModifyTargetGroup"));
        tg.config =
            new TargetGroupConfig(
                tg.config.name(), tg.config.protocol(), tg.config.port(), tg.config.vpcId(), hc);
      }
    }

    @Override
    public void delete(String arn) {
      synchronized (SimulatedCloud.this) {
        count("TargetGroups.delete");
        if (groups.values().stream().anyMatch(g -> g.targetGroupArns.contains(arn))
            || loadBalancers.values().stream()
                .anyMatch(
                    lb -> lb.listeners.stream().anyMatch(l -> arn.equals(l.targetGroupArn())))) {
          throw error(
              Kind.IN_USE,
              "ResourceInUse",
              "Target group '" + arn + "' is currently in use by an Auto" + " Scaling group",
              "DeleteTargetGroup");
        }
        targetGroups.values().removeIf(tg -> tg.arn.equals(arn));
      }
    }
  }

  private final class SimGroups implements AutoScalingGroups {
    @Override
    public Optional<ObservedGroup> find(String name) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.find");
        return Optional.ofNullable(groups.get(name))
            .map(
                g ->
                    new ObservedGroup(
                        g.name,
                        g.arn,
                        g.min,
                        g.max,
                        g.desired,
                        g.subnetIds,
                        g.templateId,
                        g.version,
                        g.targetGroupArns,
                        g.healthCheckType,
                        g.tags,
                        g.instances.stream()
                            .map(
                                i ->
                                    new ObservedInstance(
                                        i.id, i.az, i.state, i.healthy, i.type, i.version))
                            .toList(),
                        g.deleting));
      }
    }

    @Override
    public void create(GroupConfig c, Map<String, String> tags) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.create");
        if (groups.containsKey(c.name())) {
          throw error(
              Kind.ALREADY_EXISTS,
              "AlreadyExists",
              "AutoScalingGroup by this name already exists - A"
                  + " group with the name "
                  + c.name()
                  + " already exists",
              "CreateAutoScalingGroup");
        }
        Template lt = templateById(c.launchTemplateId(), "CreateAutoScalingGroup");
        if (!lt.versions.containsKey(c.launchTemplateVersion())) {
          throw error(
              Kind.INVALID_REQUEST,
              "ValidationError",
              "The specified launch template version "
                  + c.launchTemplateVersion()
                  + " does not exist",
              "CreateAutoScalingGroup");
        }
        c.subnetIds()
            .forEach(
                id -> {
                  if (!subnets.containsKey(id)) {
                    throw error(
                        Kind.INVALID_REQUEST,
                        "ValidationError",
                        "The subnet ID '" + id + "' does not exist",
                        "CreateAutoScalingGroup");
                  }
                });
        var g = new Group();
        g.name = c.name();
        g.arn =
            "arn:aws:autoscaling:"
                + region
                + ":"
                + account
                + ":autoScalingGroup:"
                + hex(8)
                + ":autoScalingGroupName/"
                + c.name();
        g.min = c.min();
        g.max = c.max();
        g.desired = c.desired();
        g.subnetIds = new ArrayList<>(c.subnetIds());
        g.templateId = c.launchTemplateId();
        g.version = c.launchTemplateVersion();
        g.targetGroupArns = new ArrayList<>(c.targetGroupArns());
        g.healthCheckType = c.healthCheckType();
        g.grace = c.healthCheckGracePeriodSeconds();
        g.tags = new LinkedHashMap<>(tags);
        groups.put(g.name, g);
      }
    }

    @Override
    public void update(GroupUpdate u) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.update");
        Group g = group(u.name(), "UpdateAutoScalingGroup");
        int min = u.min() == null ? g.min : u.min();
        int max = u.max() == null ? g.max : u.max();
        if (min > max) {
          throw error(
              Kind.INVALID_REQUEST,
              "ValidationError",
              "Max bound, " + max + ", must be greater than or equal to min bound, " + min,
              "UpdateAutoScalingGroup");
        }
        g.min = min;
        g.max = max;
        // As AWS does: a new min or max moves desired capacity inside the bounds.
        g.desired = Math.max(min, Math.min(max, u.desired() == null ? g.desired : u.desired()));
        if (u.subnetIds() != null) {
          g.subnetIds = new ArrayList<>(u.subnetIds());
        }
        if (u.launchTemplateVersion() != null) {
          g.templateId = u.launchTemplateId();
          g.version = u.launchTemplateVersion();
        }
        if (u.healthCheckType() != null) {
          g.healthCheckType = u.healthCheckType();
        }
      }
    }

    @Override
    public void attachTargetGroups(String groupName, List<String> arns) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.attachTargetGroups");
        Group g = group(groupName, "AttachLoadBalancerTargetGroups");
        arns.stream().filter(a -> !g.targetGroupArns.contains(a)).forEach(g.targetGroupArns::add);
      }
    }

    @Override
    public void detachTargetGroups(String groupName, List<String> arns) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.detachTargetGroups");
        group(groupName, "DetachLoadBalancerTargetGroups").targetGroupArns.removeAll(arns);
      }
    }

    @Override
    public void delete(String groupName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.delete");
        Group g = groups.get(groupName);
        if (g == null || g.deleting) {
          return;
        }
        g.deleting = true;
        g.policy = null;
        g.targetGroupArns.clear();
        g.instances.stream()
            .filter(i -> !i.state.leaving())
            .forEach(i -> terminate(i, clock.instant()));
        if (g.instances.isEmpty()) {
          groups.remove(groupName);
        }
      }
    }

    @Override
    public Optional<ScalingPolicyConfig> findPolicy(String groupName, String policyName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.findPolicy");
        return Optional.ofNullable(groups.get(groupName))
            .map(g -> g.policy)
            .filter(p -> p.name().equals(policyName));
      }
    }

    @Override
    public void putPolicy(String groupName, ScalingPolicyConfig policy) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.putPolicy");
        group(groupName, "PutScalingPolicy").policy = policy;
      }
    }

    @Override
    public void deletePolicy(String groupName, String policyName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.deletePolicy");
        Optional.ofNullable(groups.get(groupName))
            .filter(g -> g.policy != null && g.policy.name().equals(policyName))
            .ifPresent(g -> g.policy = null);
      }
    }

    @Override
    public List<io.scalableapp.operator.cloud.ScalingActivity> activities(String groupName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.activities");
        return group(groupName, "DescribeScalingActivities").activities.stream()
            .limit(ACTIVITY_HISTORY)
            .toList();
      }
    }

    @Override
    public List<ObservedRefresh> refreshes(String groupName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.refreshes");
        Group g = group(groupName, "DescribeInstanceRefreshes");
        return g.refreshes.stream()
            .limit(REFRESH_HISTORY)
            .map(r -> r.observed(r.active() ? toReplace(g, r).size() : 0))
            .toList();
      }
    }

    @Override
    public String startRefresh(
        String groupName, String templateId, long version, RefreshPreferences prefs) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.startRefresh");
        Group g = group(groupName, "StartInstanceRefresh");
        if (g.activeRefresh().isPresent()) {
          throw error(
              Kind.IN_USE,
              "InstanceRefreshInProgress",
              "An Instance Refresh is already in progress and"
                  + " blocks the execution of this Instance Refresh.",
              "StartInstanceRefresh");
        }
        if (!prefs.violations().isEmpty()) {
          throw error(
              Kind.INVALID_REQUEST,
              "ValidationError",
              String.join("; ", prefs.violations()),
              "StartInstanceRefresh");
        }
        var r = new Refresh();
        r.id = java.util.UUID.nameUUIDFromBytes((groupName + ids++).getBytes()).toString();
        r.templateId = templateId;
        r.target = version;
        r.current = version;
        r.previous = g.version;
        r.prefs = prefs;
        r.start = clock.instant();
        g.refreshes.add(0, r);
        return r.id;
      }
    }

    @Override
    public void cancelRefresh(String groupName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.cancelRefresh");
        group(groupName, "CancelInstanceRefresh")
            .activeRefresh()
            .filter(r -> r.status == RefreshStatus.Pending || r.status == RefreshStatus.InProgress)
            .ifPresent(r -> r.status = RefreshStatus.Cancelling);
      }
    }

    @Override
    public void rollbackRefresh(String groupName) {
      synchronized (SimulatedCloud.this) {
        count("AutoScalingGroups.rollbackRefresh");
        Refresh r =
            group(groupName, "RollbackInstanceRefresh")
                .activeRefresh()
                .filter(x -> x.status == RefreshStatus.InProgress)
                .orElseThrow(
                    () ->
                        error(
                            Kind.INVALID_REQUEST,
                            "ActiveInstanceRefreshNotFound",
                            "No in progress or pending Instance Refresh found for Auto Scaling"
                                + " group "
                                + groupName,
                            "RollbackInstanceRefresh"));
        r.status = RefreshStatus.RollbackInProgress;
        r.statusReason = "Rollback requested";
        r.current = r.previous;
        r.replaced.clear();
      }
    }
  }

  private final class SimLoadBalancers implements LoadBalancers {
    @Override
    public Optional<ObservedLoadBalancer> find(String name) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.find");
        return Optional.ofNullable(loadBalancers.get(name))
            .map(
                lb ->
                    new ObservedLoadBalancer(
                        lb.arn,
                        lb.dnsName,
                        lb.config,
                        Map.copyOf(lb.tags),
                        "active",
                        List.copyOf(lb.listeners)));
      }
    }

    @Override
    public String create(LoadBalancerConfig c, Map<String, String> tags) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.create");
        LoadBalancer existing = loadBalancers.get(c.name());
        if (existing != null) {
          if (existing.config.equals(c)) {
            return existing.arn;
          }
          throw error(
              Kind.ALREADY_EXISTS,
              "DuplicateLoadBalancerName",
              "A load balancer with the same name '"
                  + c.name()
                  + "' exists, but with different settings",
              "CreateLoadBalancer");
        }
        checkSubnets(c.subnetIds(), "CreateLoadBalancer");
        var lb = new LoadBalancer();
        String id = hex(16);
        lb.arn =
            "arn:aws:elasticloadbalancing:"
                + region
                + ":"
                + account
                + ":loadbalancer/app/"
                + c.name()
                + "/"
                + id;
        lb.dnsName =
            ("internal".equals(c.scheme()) ? "internal-" : "")
                + c.name()
                + "-"
                + Long.parseLong(id, 16)
                + "."
                + region
                + ".elb.amazonaws.com";
        lb.config = c;
        lb.tags = new LinkedHashMap<>(tags);
        loadBalancers.put(c.name(), lb);
        return lb.arn;
      }
    }

    private void checkSubnets(List<String> ids, String operation) {
      for (String id : ids) {
        if (!subnets.containsKey(id)) {
          throw error(
              Kind.INVALID_REQUEST,
              "SubnetNotFound",
              "The subnet ID '" + id + "' is not valid",
              operation);
        }
      }
      if (ids.stream().map(id -> subnets.get(id).availabilityZone()).distinct().count() < 2) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            "At least two subnets in two different Availability" + " Zones must be specified",
            operation);
      }
    }

    private LoadBalancer byArn(String arn, String operation) {
      return loadBalancers.values().stream()
          .filter(lb -> lb.arn.equals(arn))
          .findFirst()
          .orElseThrow(
              () ->
                  error(
                      Kind.NOT_FOUND,
                      "LoadBalancerNotFound",
                      "One or more load balancers not found",
                      operation));
    }

    @Override
    public void setSubnets(String arn, List<String> subnetIds) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.setSubnets");
        checkSubnets(subnetIds, "SetSubnets");
        LoadBalancer lb = byArn(arn, "SetSubnets");
        lb.config =
            new LoadBalancerConfig(
                lb.config.name(), lb.config.scheme(), subnetIds, lb.config.securityGroupIds());
      }
    }

    @Override
    public void setSecurityGroups(String arn, List<String> securityGroupIds) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.setSecurityGroups");
        LoadBalancer lb = byArn(arn, "SetSecurityGroups");
        lb.config =
            new LoadBalancerConfig(
                lb.config.name(), lb.config.scheme(), lb.config.subnetIds(), securityGroupIds);
      }
    }

    @Override
    public void delete(String arn) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.delete");
        loadBalancers.values().removeIf(lb -> lb.arn.equals(arn));
      }
    }

    @Override
    public String createListener(
        String loadBalancerArn, int port, String targetGroupArn, Map<String, String> tags) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.createListener");
        LoadBalancer lb = byArn(loadBalancerArn, "CreateListener");
        if (targetGroupByArn(targetGroupArn).isEmpty()) {
          throw error(
              Kind.INVALID_REQUEST,
              "TargetGroupNotFound",
              "One or more target groups not found",
              "CreateListener");
        }
        if (lb.listeners.stream().anyMatch(l -> l.port() == port)) {
          throw error(
              Kind.ALREADY_EXISTS,
              "DuplicateListener",
              "A listener already exists on this port for this" + " load balancer",
              "CreateListener");
        }
        var listener =
            new ObservedLoadBalancer.Listener(
                lb.arn.replace(":loadbalancer/", ":listener/") + "/" + hex(16),
                port,
                "HTTP",
                targetGroupArn);
        lb.listeners.add(listener);
        return listener.arn();
      }
    }

    @Override
    public void setListenerTarget(String listenerArn, String targetGroupArn) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.setListenerTarget");
        for (LoadBalancer lb : loadBalancers.values()) {
          lb.listeners.replaceAll(
              l ->
                  l.arn().equals(listenerArn)
                      ? new ObservedLoadBalancer.Listener(
                          l.arn(), l.port(), l.protocol(), targetGroupArn)
                      : l);
        }
      }
    }

    @Override
    public void deleteListener(String listenerArn) {
      synchronized (SimulatedCloud.this) {
        count("LoadBalancers.deleteListener");
        loadBalancers
            .values()
            .forEach(lb -> lb.listeners.removeIf(l -> l.arn().equals(listenerArn)));
      }
    }
  }
}
