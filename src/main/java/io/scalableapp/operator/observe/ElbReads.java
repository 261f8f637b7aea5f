package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LoadBalancerHead;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.ElbEffect;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One region's ELBv2 resources as the operator last read them. ELBv2 reads are the scarcest quota
 * it spends (10 a second for the whole account and region), so what the listings lack (tags,
 * target-group attributes, listeners) is kept until the operator changes the resource, and an app
 * being changed reads its target groups and load balancer by name once per poll interval, again
 * after the operator changes them, and not at all while the last poll shows none of that name and
 * the operator has not tried to create one. Polls read in their own thread: details carry the time
 * their read began, and are not used if the operator changed the resource after that.
 */
final class ElbReads {
  /** The tags and attributes of a target group, as last read. */
  record TargetGroupDetails(Map<String, String> tags, Map<String, String> attributes) {}

  /** The tags and listeners (with their tags) of a load balancer, as last read. */
  record LoadBalancerDetails(
      Map<String, String> tags, List<ObservedLoadBalancer.Listener> listeners) {}

  /** Details and when their read began. */
  private record Seen<D>(D details, Instant readAt) {}

  private final Clock clock;

  /** By ARN. */
  private final Map<String, Seen<TargetGroupDetails>> targetGroupDetails =
      new ConcurrentHashMap<>();

  private final Map<String, Seen<LoadBalancerDetails>> loadBalancerDetails =
      new ConcurrentHashMap<>();

  /**
   * When the operator last tried to change a target group or load balancer, by name (the two have
   * names of their own: the same name may be both). Details read before are not used.
   */
  private final Map<String, Instant> targetGroupChangedAt = new ConcurrentHashMap<>();

  private final Map<String, Instant> loadBalancerChangedAt = new ConcurrentHashMap<>();

  /**
   * Read by name (or answered to the operator's create) since the last poll and not changed by the
   * operator since: a poll clears them, so drift is seen within a poll interval.
   */
  private final Map<String, TargetGroupHead> targetGroupHeads = new ConcurrentHashMap<>();

  private final Map<String, LoadBalancerHead> loadBalancerHeads = new ConcurrentHashMap<>();

  /** Whose create the operator attempted, by name, and when. */
  private final Map<String, Instant> createdTargetGroups = new ConcurrentHashMap<>();

  private final Map<String, Instant> createdLoadBalancers = new ConcurrentHashMap<>();

  ElbReads(Clock clock) {
    this.clock = clock;
  }

  /** The operator is changing, or has just changed, something of the app at {@code now}. */
  void changed(AppNames names, ElbEffect elb, Instant now) {
    if (elb.createdTargetGroup() != null) {
      createdTargetGroups.put(elb.createdTargetGroup(), now);
    }
    if (elb.createdLoadBalancer() != null) {
      createdLoadBalancers.put(elb.createdLoadBalancer(), now);
    }
    if (elb.changes()) {
      for (String name : names.targetGroups()) {
        targetGroupChangedAt.put(name, now);
        targetGroupHeads.remove(name);
      }
      loadBalancerChangedAt.put(names.loadBalancer(), now);
      loadBalancerHeads.remove(names.loadBalancer());
    }
  }

  /** AWS's answer to the operator's create: what a read by name would show. */
  void created(Object resource) {
    if (resource instanceof TargetGroupHead h) {
      targetGroupHeads.put(h.config().name(), h);
    } else if (resource instanceof LoadBalancerHead h) {
      loadBalancerHeads.put(h.config().name(), h);
    }
  }

  /** The app is gone. */
  void forget(AppNames names) {
    names.targetGroups().forEach(targetGroupChangedAt::remove);
    loadBalancerChangedAt.remove(names.loadBalancer());
  }

  /**
   * A complete poll was published (before this, so readers that miss a mark find the inventory it
   * is in): heads are read again, marks of creates it saw are dropped, and so are the details of
   * what is gone.
   */
  void polled(Fleet.Inventory inv) {
    targetGroupHeads.clear();
    loadBalancerHeads.clear();
    createdTargetGroups.values().removeIf(at -> inv.startedAt().isAfter(at));
    createdLoadBalancers.values().removeIf(at -> inv.startedAt().isAfter(at));
    Set<String> tgs =
        inv.targetGroups().values().stream().map(TargetGroupHead::arn).collect(Collectors.toSet());
    targetGroupDetails.keySet().retainAll(tgs);
    Set<String> lbs =
        inv.loadBalancers().values().stream()
            .map(LoadBalancerHead::arn)
            .collect(Collectors.toSet());
    loadBalancerDetails.keySet().retainAll(lbs);
  }

  /**
   * The target group with this name, for an app being changed: its head read by name once per poll
   * interval and after the operator changes it, its details read the first time, its health read
   * each time or derived from the group where that is exact. Null when AWS has none.
   *
   * @param lastPoll the region's last complete poll if still recent enough to serve, else null
   */
  ObservedTargetGroup targetGroupByName(
      Cloud cloud, Supplier<Fleet.Inventory> lastPoll, String name, Optional<ObservedGroup> group) {
    if (absent(lastPoll, name, Fleet.Inventory::targetGroups, createdTargetGroups)) {
      return null;
    }
    TargetGroupHead h = targetGroupHeads.get(name);
    if (h == null) {
      Optional<TargetGroupHead> head = cloud.targetGroups().findHead(name);
      if (head.isEmpty()) {
        return null;
      }
      h = head.get();
      targetGroupHeads.put(name, h);
    }
    if (targetGroupDetails(h) == null) {
      read(cloud, List.of(h), List.of());
    }
    return targetGroup(cloud, h, group);
  }

  /**
   * The load balancer with this name, for an app being changed: read by name once per poll interval
   * and after the operator changes it, its tags and listeners with it. Null when AWS has none.
   */
  ObservedLoadBalancer loadBalancerByName(
      Cloud cloud, Supplier<Fleet.Inventory> lastPoll, String name) {
    if (absent(lastPoll, name, Fleet.Inventory::loadBalancers, createdLoadBalancers)) {
      return null;
    }
    LoadBalancerHead h = loadBalancerHeads.get(name);
    if (h == null) {
      Optional<LoadBalancerHead> head = cloud.loadBalancers().findHead(name);
      if (head.isEmpty()) {
        return null;
      }
      h = head.get();
      loadBalancerHeads.put(name, h);
    }
    if (loadBalancerDetails(h) == null) {
      read(cloud, List.of(), List.of(h));
    }
    return loadBalancer(h);
  }

  /**
   * Whether the last poll lists every resource of the kind and has none with the name, and no
   * create of that name was attempted since it began. A resource someone else made under the name
   * since then is found when the operator's create fails on it (or AWS returns it, for a target
   * group with the same settings): the create marks the name, and it is read.
   */
  private static boolean absent(
      Supplier<Fleet.Inventory> lastPoll,
      String name,
      Function<Fleet.Inventory, Map<String, ?>> byName,
      Map<String, Instant> created) {
    Instant at = created.get(name); // before the inventory: see Fleet.pollNow
    Fleet.Inventory inv = lastPoll.get();
    if (inv == null || byName.apply(inv).containsKey(name)) {
      return false;
    }
    return at == null || inv.startedAt().isAfter(at);
  }

  /**
   * Reads the details the caches lack (with {@code all}, also those they have) for the apps' target
   * groups and load balancers in the poll.
   */
  void readFor(Cloud cloud, Fleet.Inventory inv, List<AppNames> apps, boolean all) {
    List<TargetGroupHead> tgs =
        apps.stream()
            .flatMap(names -> names.targetGroups().stream())
            .map(inv.targetGroups()::get)
            .filter(Objects::nonNull)
            .filter(h -> all || targetGroupDetails(h) == null)
            .toList();
    List<LoadBalancerHead> lbs =
        apps.stream()
            .map(names -> inv.loadBalancers().get(names.loadBalancer()))
            .filter(Objects::nonNull)
            .filter(h -> all || loadBalancerDetails(h) == null)
            .toList();
    if (!tgs.isEmpty() || !lbs.isEmpty()) {
      read(cloud, tgs, lbs);
    }
  }

  /**
   * Reads the tags (one DescribeTags for every 20 resources, listeners included), attributes and
   * listeners of these target groups and load balancers.
   */
  private void read(Cloud cloud, List<TargetGroupHead> tgs, List<LoadBalancerHead> lbs) {
    Instant readAt = clock.instant();
    var arns = new ArrayList<String>();
    tgs.forEach(h -> arns.add(h.arn()));
    var listeners = new HashMap<String, List<ObservedLoadBalancer.Listener>>();
    for (LoadBalancerHead lb : lbs) {
      listeners.put(lb.arn(), cloud.loadBalancers().listeners(lb.arn()));
      arns.add(lb.arn());
      listeners.get(lb.arn()).forEach(l -> arns.add(l.arn()));
    }
    Map<String, Map<String, String>> tags = cloud.loadBalancers().tags(arns);
    for (TargetGroupHead h : tgs) {
      var d =
          new TargetGroupDetails(
              tags.getOrDefault(h.arn(), Map.of()), cloud.targetGroups().attributes(h.arn()));
      keep(targetGroupDetails, h.arn(), new Seen<>(d, readAt));
    }
    for (LoadBalancerHead lb : lbs) {
      var d =
          new LoadBalancerDetails(
              tags.getOrDefault(lb.arn(), Map.of()),
              listeners.get(lb.arn()).stream()
                  .map(l -> l.withTags(tags.getOrDefault(l.arn(), Map.of())))
                  .toList());
      keep(loadBalancerDetails, lb.arn(), new Seen<>(d, readAt));
    }
  }

  /** The target group with its details as read (they must have been). */
  ObservedTargetGroup targetGroup(Cloud cloud, TargetGroupHead h, Optional<ObservedGroup> group) {
    var d = targetGroupDetails.get(h.arn()).details();
    return new ObservedTargetGroup(
        h.arn(), h.config(), d.tags(), healthy(cloud, h.arn(), group), d.attributes());
  }

  /** The load balancer with its details as read (they must have been). */
  ObservedLoadBalancer loadBalancer(LoadBalancerHead h) {
    var d = loadBalancerDetails.get(h.arn()).details();
    return ObservedLoadBalancer.of(h, d.tags(), d.listeners());
  }

  /** The details as last read, whenever that was; null if never (for a poll's slices). */
  TargetGroupDetails lastTargetGroupDetails(String arn) {
    return details(targetGroupDetails.get(arn));
  }

  LoadBalancerDetails lastLoadBalancerDetails(String arn) {
    return details(loadBalancerDetails.get(arn));
  }

  /** The target group's details if read after the operator last changed it, else null. */
  private TargetGroupDetails targetGroupDetails(TargetGroupHead h) {
    return current(targetGroupDetails.get(h.arn()), targetGroupChangedAt, h.config().name());
  }

  private LoadBalancerDetails loadBalancerDetails(LoadBalancerHead h) {
    return current(loadBalancerDetails.get(h.arn()), loadBalancerChangedAt, h.config().name());
  }

  private static <D> D current(Seen<D> seen, Map<String, Instant> changedAt, String name) {
    return seen != null && seen.readAt().isAfter(changedAt.getOrDefault(name, Instant.MIN))
        ? seen.details()
        : null;
  }

  private static <D> D details(Seen<D> seen) {
    return seen == null ? null : seen.details();
  }

  /** Keeps the details read last: a read that began earlier never replaces one begun later. */
  private static <D> void keep(Map<String, Seen<D>> details, String arn, Seen<D> seen) {
    details.merge(arn, seen, (old, now) -> now.readAt().isBefore(old.readAt()) ? old : now);
  }

  /**
   * Healthy targets of a target group. Derived from the group's instance health where that is exact
   * (the group checks ELB health and attaches this target group only); none before there is a
   * group; otherwise read.
   */
  private static int healthy(Cloud cloud, String arn, Optional<ObservedGroup> group) {
    if (group.isEmpty()) {
      return 0;
    }
    ObservedGroup g = group.get();
    if (g.healthCheckType() == HealthCheckType.ELB && g.targetGroupArns().equals(List.of(arn))) {
      return (int) g.instances().stream().filter(i -> i.inService() && i.healthy()).count();
    }
    return cloud.targetGroups().healthyTargets(arn);
  }
}
