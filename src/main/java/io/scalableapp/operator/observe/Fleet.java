package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.LoadBalancerHead;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.ElbEffect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the operator knows of AWS across all its apps, per region: the last complete poll (a few
 * region-wide, paginated listings shared by every app, not reads per app) and caches of what cannot
 * change or changes only when the operator changes it.
 *
 * <ul>
 *   <li>A launch template version's data is immutable: read once per (template, version).
 *   <li>A subnet's VPC and zone never change: read once per subnet.
 *   <li>Target-group attributes, load-balancer listeners and the tags of ELBv2 resources (the
 *       listings do not carry them) are read when a resource is first seen, after the operator
 *       changed it, and, a few apps per poll in turn, to see drift made by hand ({@link ElbReads},
 *       which also serves apps being changed their ELBv2 resources by name).
 *   <li>Target health is derived from the group's instance health where that is exact (the group
 *       checks ELB health on that target group alone), read otherwise.
 * </ul>
 *
 * <p>An app is served from the inventory only when the inventory's poll started after the operator
 * last changed anything of it (so it is never judged by a state older than its own change) and is
 * younger than the resync interval; otherwise its region is polled again first, or the app is read
 * by name. A poll that fails halfway replaces nothing: no app is ever judged missing from a partial
 * result.
 */
public final class Fleet {
  /** Apps whose ELBv2 details are read again, per poll, per this many apps in the region. */
  static final int ROTATION_PER = 100;

  private final CloudProvider clouds;
  private final Clock clock;
  private final Duration maxAge;
  private final Map<String, Region> regions = new ConcurrentHashMap<>();
  private final TemplateVersions versions = new TemplateVersions();
  private final Map<String, Subnet> subnets = new ConcurrentHashMap<>();

  /**
   * @param maxAge how old an inventory may be before an app's reconcile polls its region again (the
   *     resync interval: the poller refreshes it about that often)
   */
  public Fleet(CloudProvider clouds, Clock clock, Duration maxAge) {
    this.clouds = clouds;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** One complete poll of a region. */
  record Inventory(
      Instant startedAt,
      Map<String, ObservedLaunchTemplate> templates,
      Map<String, ObservedGroup> groups,
      Map<String, List<ScalingPolicyConfig>> policies,
      Map<String, TargetGroupHead> targetGroups,
      Map<String, LoadBalancerHead> loadBalancers) {}

  /** An app the fleet serves: its names, and when the operator last changed anything of it. */
  private record App(AppNames names, Instant changedAt, Instant detailsReadAt) {}

  /**
   * What a poll shows of one app: it changes when something of the app changed in AWS, so the app
   * is reconciled on a change, not on a timer.
   *
   * @param owner the app's {@code namespace/name}
   */
  public record Slice(
      String region,
      String owner,
      ObservedLaunchTemplate launchTemplate,
      ObservedGroup group,
      List<ScalingPolicyConfig> policies,
      List<TargetGroupHead> targetGroups,
      List<ElbReads.TargetGroupDetails> targetGroupDetails,
      LoadBalancerHead loadBalancer,
      ElbReads.LoadBalancerDetails loadBalancerDetails,
      List<LifecycleHookConfig> lifecycleHooks) {}

  private final class Region {
    final String name;
    final Map<String, App> apps = new ConcurrentHashMap<>();

    /** Its ELBv2 resources as last read. */
    final ElbReads elb;

    /** Its groups' lifecycle hooks as last read. */
    final HookReads hooks = new HookReads();

    /** Apps deleted since the last poll began, and when. */
    final Map<String, Instant> gone = new ConcurrentHashMap<>();

    volatile Inventory inventory;
    volatile Instant failedAt;

    Region(String name) {
      this.name = name;
      this.elb = new ElbReads(clock);
    }

    Cloud cloud() {
      return clouds.forRegion(name);
    }
  }

  private Region region(String name) {
    return regions.computeIfAbsent(name, Region::new);
  }

  /**
   * The app as the region's inventory shows it, with no AWS call for what is cached; empty when the
   * operator changed the app after the inventory's poll began (read it by name instead). Polls the
   * region first when its inventory is missing or older than the resync interval.
   *
   * @param owner the app's {@code namespace/name}
   */
  public Optional<ObservedApp> atRest(
      String region, String owner, AppNames names, List<String> subnetIds, boolean loadBalancer) {
    Region r = region(region);
    // An app deleted and made again under the same name: polls from before are of the old one.
    Instant goneAt = r.gone.getOrDefault(owner, Instant.MIN);
    App app = r.apps.computeIfAbsent(owner, k -> new App(names, goneAt, Instant.MIN));
    Inventory inv = fresh(r, app.changedAt());
    if (inv == null) {
      return Optional.empty();
    }
    return Optional.of(assemble(r, inv, owner, names, subnetIds, loadBalancer));
  }

  /**
   * The operator is changing something of the app, or has just changed it (or tried to and AWS
   * refused): until a poll that began after now, the app is read by name. Told before the call and
   * again once it returned, so a poll or read that ran while the change was landing is never taken
   * for the state after it.
   *
   * @param elb what the change does to its ELBv2 resources: if it changes them, they are read
   *     again; one it creates is looked for by name even if the last poll did not find it
   */
  public void changed(String region, String owner, AppNames names, ElbEffect elb) {
    Region r = region(region);
    Instant now = clock.instant();
    r.apps.put(owner, new App(names, now, Instant.MIN));
    r.elb.changed(names, elb, now);
  }

  /**
   * What AWS answered a create of the operator's with: a target group or load balancer as a read by
   * name would show it, so the next read by name takes it from here.
   */
  public void created(String region, Object resource) {
    region(region).elb.created(resource);
  }

  /**
   * The target group with this name, for an app being changed. Read by name once per poll interval
   * and after the operator changes it; its tags and attributes read with it the first time; its
   * health read each time, or derived from the group where that is exact. Null when AWS has none,
   * with no call when the region's last poll found none and the operator has not tried to create
   * one since.
   */
  public ObservedTargetGroup targetGroupByName(
      String region, String name, Optional<ObservedGroup> group) {
    Region r = region(region);
    return r.elb.targetGroupByName(r.cloud(), () -> lastPoll(r), name, group);
  }

  /**
   * The load balancer with this name, for an app being changed. Read by name once per poll interval
   * and after the operator changes it, its tags and listeners with it. Null when AWS has none, with
   * no call when the region's last poll found none and the operator has not tried to create one
   * since.
   */
  public ObservedLoadBalancer loadBalancerByName(String region, String name) {
    Region r = region(region);
    return r.elb.loadBalancerByName(r.cloud(), () -> lastPoll(r), name);
  }

  /** The region's last complete poll if still recent enough to serve, else null. */
  private Inventory lastPoll(Region r) {
    Inventory inv = r.inventory;
    return usable(inv, Instant.MIN) ? inv : null;
  }

  /** What a read by name found: its ELBv2 details and launch template data go into the caches. */
  public void learn(String region, ObservedApp observed) {
    observed.launchTemplate().ifPresent(versions::learn);
    observed.subnets().forEach(s -> subnets.put(s.id(), s));
  }

  /** The app is gone: nothing of it is kept. */
  public void forget(String owner) {
    Instant now = clock.instant();
    regions
        .values()
        .forEach(
            r -> {
              App app = r.apps.remove(owner);
              if (app != null) {
                r.gone.put(owner, now);
                r.elb.forget(app.names());
                r.hooks.forget(app.names().autoScalingGroup());
              }
            });
  }

  /**
   * Polls every region the fleet serves apps in, and returns what each app's part looks like now. A
   * region whose poll fails keeps its last inventory, and its apps their last slices.
   */
  public List<Slice> poll() {
    var slices = new ArrayList<Slice>();
    for (Region r : regions.values()) {
      if (r.apps.isEmpty()) {
        continue;
      }
      Inventory inv;
      try {
        inv = pollNow(r);
      } catch (RuntimeException e) {
        r.failedAt = clock.instant();
        inv = r.inventory;
      }
      if (inv == null) {
        continue;
      }
      for (var e : r.apps.entrySet()) {
        slices.add(slice(r, inv, e.getKey(), e.getValue().names()));
      }
    }
    return slices;
  }

  /**
   * The region's inventory if it can serve an app changed at {@code changedAt}, polling first if
   * needed; null when it cannot (the app is then read by name). After a failed poll, reconciles do
   * not poll again for a tenth of the resync interval: they read by name meanwhile.
   */
  private Inventory fresh(Region r, Instant changedAt) {
    Inventory inv = r.inventory;
    if (usable(inv, changedAt)) {
      return inv;
    }
    synchronized (r) {
      inv = r.inventory;
      if (usable(inv, changedAt)) {
        return inv;
      }
      Instant failed = r.failedAt;
      if (failed != null
          && Duration.between(failed, clock.instant()).compareTo(maxAge.dividedBy(10)) < 0) {
        return null;
      }
      try {
        inv = pollNow(r);
      } catch (RuntimeException e) {
        r.failedAt = clock.instant();
        return null;
      }
      return inv.startedAt().isAfter(changedAt) ? inv : null;
    }
  }

  private boolean usable(Inventory inv, Instant changedAt) {
    return inv != null
        && inv.startedAt().isAfter(changedAt)
        && Duration.between(inv.startedAt(), clock.instant()).compareTo(maxAge) < 0;
  }

  /**
   * One poll: five listings (and, for the groups that may buy Spot, which of their instances are
   * Spot), then the details of a few apps in turn (drift made by hand).
   */
  private Inventory pollNow(Region r) {
    synchronized (r) {
      Cloud cloud = r.cloud();
      Instant started = clock.instant();
      var inv =
          new Inventory(
              started,
              byName(cloud.launchTemplates().listManaged(), ObservedLaunchTemplate::name),
              byName(
                  AppObserver.withSpot(cloud, cloud.autoScalingGroups().listManaged()),
                  ObservedGroup::name),
              cloud.autoScalingGroups().listPolicies(),
              byName(cloud.targetGroups().list(), h -> h.config().name()),
              byName(cloud.loadBalancers().list(), h -> h.config().name()));
      // Published before what it makes stale is forgotten: readers look at the marks (created,
      // gone) first and the inventory second, so a mark they no longer find is in the one they
      // read.
      r.inventory = inv;
      r.failedAt = null;
      forgetWhatIsGone(r, inv);
      rotate(r, inv);
      return inv;
    }
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    var map = new LinkedHashMap<String, T>();
    items.forEach(i -> map.put(name.apply(i), i));
    return map;
  }

  private void forgetWhatIsGone(Region r, Inventory inv) {
    r.gone.values().removeIf(at -> inv.startedAt().isAfter(at));
    r.elb.polled(inv);
  }

  /** Reads the ELBv2 details of the apps read longest ago: one app per {@link #ROTATION_PER}. */
  private void rotate(Region r, Inventory inv) {
    int n = (r.apps.size() + ROTATION_PER - 1) / ROTATION_PER;
    var oldest =
        r.apps.entrySet().stream()
            .sorted(Comparator.comparing(e -> e.getValue().detailsReadAt()))
            .limit(n)
            .toList();
    r.elb.readFor(r.cloud(), inv, oldest.stream().map(e -> e.getValue().names()).toList(), true);
    // Lifecycle hooks have no region-wide listing: the operator's own are read again in the same
    // turn (one deleted or changed by hand); a group without any costs nothing.
    oldest.stream()
        .map(e -> e.getValue().names().autoScalingGroup())
        .filter(inv.groups()::containsKey)
        .filter(r.hooks::hasOurs)
        .forEach(group -> r.hooks.read(r.cloud(), group));
    for (var e : oldest) {
      r.apps.computeIfPresent(
          e.getKey(), (k, a) -> new App(a.names(), a.changedAt(), clock.instant()));
    }
  }

  private ObservedApp assemble(
      Region r,
      Inventory inv,
      String owner,
      AppNames names,
      List<String> subnetIds,
      boolean loadBalancer) {
    Cloud cloud = r.cloud();
    r.elb.readFor(cloud, inv, List.of(names), false);
    Optional<ObservedGroup> group = Optional.ofNullable(inv.groups().get(names.autoScalingGroup()));
    Optional<ObservedLaunchTemplate> lt =
        Optional.ofNullable(inv.templates().get(names.launchTemplate()))
            .map(t -> versions.withData(cloud, t, group));
    return ObservedApp.builder()
        .subnets(subnets(cloud, subnetIds))
        .launchTemplate(lt.orElse(null))
        .targetGroup(targetGroup(cloud, r, inv, names.targetGroup(), group))
        .replacementTargetGroup(targetGroup(cloud, r, inv, names.replacementTargetGroup(), group))
        .group(group.orElse(null))
        .lifecycleHooks(group.map(g -> r.hooks.atRest(cloud, g.name())).orElse(null))
        .policy(
            group
                .flatMap(
                    g ->
                        inv.policies().getOrDefault(g.name(), List.of()).stream()
                            .filter(p -> p.name().equals(names.policy()))
                            .findFirst())
                .orElse(null))
        .loadBalancer(
            loadBalancer
                ? Optional.ofNullable(inv.loadBalancers().get(names.loadBalancer()))
                    .map(r.elb::loadBalancer)
                    .orElse(null)
                : null)
        .build();
  }

  private ObservedTargetGroup targetGroup(
      Cloud cloud, Region r, Inventory inv, String name, Optional<ObservedGroup> group) {
    TargetGroupHead h = inv.targetGroups().get(name);
    if (h == null) {
      return null;
    }
    return r.elb.targetGroup(cloud, h, group);
  }

  /** The subnets, each read once: their VPC and zone never change. */
  public List<Subnet> subnets(String region, List<String> ids) {
    return subnets(region(region).cloud(), ids);
  }

  private List<Subnet> subnets(Cloud cloud, List<String> ids) {
    List<String> missing = ids.stream().filter(id -> !subnets.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      cloud.subnets().describe(missing).forEach(s -> subnets.put(s.id(), s));
    }
    return ids.stream().map(subnets::get).toList();
  }

  private Slice slice(Region r, Inventory inv, String owner, AppNames names) {
    List<TargetGroupHead> tgs =
        names.targetGroups().stream()
            .map(inv.targetGroups()::get)
            .filter(Objects::nonNull)
            .toList();
    LoadBalancerHead lb = inv.loadBalancers().get(names.loadBalancer());
    return new Slice(
        r.name,
        owner,
        inv.templates().get(names.launchTemplate()),
        inv.groups().get(names.autoScalingGroup()),
        inv.policies().getOrDefault(names.autoScalingGroup(), List.of()),
        tgs,
        tgs.stream().map(h -> r.elb.lastTargetGroupDetails(h.arn())).toList(),
        lb,
        lb == null ? null : r.elb.lastLoadBalancerDetails(lb.arn()),
        r.hooks.last(names.autoScalingGroup()));
  }

  /**
   * The group's lifecycle hooks, for an app being changed: read again unless its spec asks for none
   * and the group was last seen without any of the operator's (see {@link HookReads}).
   */
  public List<LifecycleHookConfig> lifecycleHooks(String region, String groupName, boolean wanted) {
    Region r = region(region);
    return r.hooks.forChange(r.cloud(), groupName, wanted);
  }
}
