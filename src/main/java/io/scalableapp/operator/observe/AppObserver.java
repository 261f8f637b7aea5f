package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.plan.ElbEffect;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the AWS state of one app: the only place the reconciler reads AWS. It never changes
 * anything. An app at rest is served from the {@link Fleet}'s region-wide inventory, with no AWS
 * call for what is cached; an app being changed is read by its names, and what that read found goes
 * into the fleet's caches.
 */
public class AppObserver {
  private final CloudProvider clouds;
  private final Fleet fleet;
  private final ImageResolver images;

  /** Every app read by its names, nothing shared. */
  public AppObserver(CloudProvider clouds) {
    this(clouds, null);
  }

  /** Image parameters read on every reconcile. */
  public AppObserver(CloudProvider clouds, Fleet fleet) {
    this(clouds, fleet, new ImageResolver(clouds, java.time.Clock.systemUTC(), Duration.ZERO));
  }

  public AppObserver(CloudProvider clouds, Fleet fleet, ImageResolver images) {
    this.clouds = clouds;
    this.fleet = fleet;
    this.images = images;
  }

  /**
   * The app's state with the image its SSM parameter holds now (see {@link ImageResolver}); as it
   * is when the spec names no parameter.
   *
   * @param parameter the parameter of the spec's {@code resolve:ssm:} imageId, or null
   * @throws io.scalableapp.operator.cloud.CloudException when AWS has no such parameter, or refuses
   *     to read it
   */
  public ObservedApp withImage(ObservedApp app, String owner, String region, String parameter) {
    if (parameter == null) {
      images.forget(owner);
      return app;
    }
    return app.withParameterImage(images.resolve(owner, region, parameter));
  }

  /**
   * The app's AWS state: from the region's inventory when the app is at rest and the inventory
   * began after the operator last changed it, otherwise by its names.
   *
   * @param owner the app's {@code namespace/name}
   * @param atRest the app's last status was Ready, and nothing of it was changed since
   * @param lifecycle the spec asks for lifecycle hooks: read the group's again; otherwise a group
   *     last seen without any of the operator's is not asked again
   */
  public ObservedApp observe(
      String owner,
      String region,
      AppNames names,
      List<String> subnetIds,
      boolean rolloutTracked,
      boolean loadBalancer,
      boolean atRest,
      boolean lifecycle) {
    if (fleet != null && atRest && !rolloutTracked) {
      Optional<ObservedApp> seen = fleet.atRest(region, owner, names, subnetIds, loadBalancer);
      if (seen.isPresent()) {
        return withProgress(clouds.forRegion(region), names, seen.get(), false);
      }
    }
    ObservedApp read = observe(region, names, subnetIds, rolloutTracked, loadBalancer, lifecycle);
    if (fleet != null) {
      fleet.learn(region, read);
    }
    return read;
  }

  /**
   * The operator is about to change something of the app, or has just: read it by name until a poll
   * that began after now.
   *
   * @param elb what the change does to its ELBv2 resources
   */
  public void changing(String region, String owner, AppNames names, ElbEffect elb) {
    if (fleet != null) {
      fleet.changed(region, owner, names, elb);
    }
  }

  /** AWS's answer to a create the operator made: kept instead of reading the resource back. */
  public void created(String region, Object resource) {
    if (fleet != null) {
      fleet.created(region, resource);
    }
  }

  /** The app is gone. */
  public void forget(String owner) {
    images.forget(owner);
    if (fleet != null) {
      fleet.forget(owner);
    }
  }

  /**
   * The app's resources by their deterministic names, and the given subnets (whose lookup fails
   * with INVALID_REQUEST when AWS does not know one).
   */
  public ObservedApp observe(String region, AppNames names, List<String> subnetIds) {
    return observe(region, names, subnetIds, false, true);
  }

  /**
   * @param rolloutTracked the last status showed an active rollout: read refreshes to see it end
   * @param loadBalancer look for the app's load balancer (the spec has one, or the status had one)
   */
  public ObservedApp observe(
      String region,
      AppNames names,
      List<String> subnetIds,
      boolean rolloutTracked,
      boolean loadBalancer) {
    return observe(region, names, subnetIds, rolloutTracked, loadBalancer, true);
  }

  private ObservedApp observe(
      String region,
      AppNames names,
      List<String> subnetIds,
      boolean rolloutTracked,
      boolean loadBalancer,
      boolean lifecycle) {
    Cloud cloud = clouds.forRegion(region);
    var subnets =
        subnetIds.isEmpty()
            ? List.<Subnet>of()
            : fleet != null
                ? fleet.subnets(region, subnetIds)
                : cloud.subnets().describe(subnetIds);
    var lt = cloud.launchTemplates().find(names.launchTemplate());
    Optional<ObservedGroup> group = cloud.autoScalingGroups().find(names.autoScalingGroup());
    if (group.isPresent() && group.get().warmPool() != null) {
      // Read by name only while the app moves: its warm instances by state. The group's own
      // answer stands when the pool's is empty (gone since, or an emulator that reads empty).
      ObservedGroup g = group.get();
      group =
          Optional.of(
              cloud
                  .autoScalingGroups()
                  .warmPool(names.autoScalingGroup())
                  .map(g::withWarmPool)
                  .orElse(g));
    }
    if (group.isPresent() && group.get().buysSpot()) {
      group = Optional.of(withSpot(cloud, List.of(group.get())).get(0));
    }
    if (lt.isPresent() && group.isPresent()) {
      lt = Optional.of(withVersionsInUse(cloud, lt.get(), group.get()));
    }
    var app =
        ObservedApp.builder()
            .subnets(subnets)
            .launchTemplate(lt.orElse(null))
            .targetGroup(targetGroup(region, cloud, names.targetGroup(), group))
            .replacementTargetGroup(
                targetGroup(region, cloud, names.replacementTargetGroup(), group))
            .group(group.orElse(null))
            .lifecycleHooks(
                group.isPresent()
                    ? fleet != null
                        ? fleet.lifecycleHooks(region, names.autoScalingGroup(), lifecycle)
                        : cloud.autoScalingGroups().lifecycleHooks(names.autoScalingGroup())
                    : null)
            .policy(
                group.isPresent()
                    ? cloud
                        .autoScalingGroups()
                        .findPolicy(names.autoScalingGroup(), names.policy())
                        .orElse(null)
                    : null)
            .loadBalancer(loadBalancer ? loadBalancer(region, cloud, names.loadBalancer()) : null)
            .build();
    return withProgress(cloud, names, app, rolloutTracked);
  }

  /** By name: with a fleet, one call, the rest from what was read before. */
  private ObservedTargetGroup targetGroup(
      String region, Cloud cloud, String name, Optional<ObservedGroup> group) {
    return fleet == null
        ? cloud.targetGroups().find(name).orElse(null)
        : fleet.targetGroupByName(region, name, group);
  }

  private ObservedLoadBalancer loadBalancer(String region, Cloud cloud, String name) {
    return fleet == null
        ? cloud.loadBalancers().find(name).orElse(null)
        : fleet.loadBalancerByName(region, name);
  }

  /**
   * The app with what is read only while it moves: its instance refreshes while a rollout may be
   * due or running, and its scaling activities while it is short of instances (AWS says why).
   */
  private static ObservedApp withProgress(
      Cloud cloud, AppNames names, ObservedApp app, boolean rolloutTracked) {
    Optional<ObservedGroup> group = app.group();
    boolean rolloutPossible =
        group.isPresent()
            && (rolloutTracked
                || app.launchTemplate().map(t -> offVersion(group.get(), t)).orElse(false));
    boolean shortOfInstances = group.filter(AppObserver::shortOfInstances).isPresent();
    if (!rolloutPossible && !shortOfInstances) {
      return app;
    }
    return app.toBuilder()
        .refreshes(
            rolloutPossible
                ? cloud.autoScalingGroups().refreshes(names.autoScalingGroup())
                : List.of())
        .activities(
            shortOfInstances
                ? cloud.autoScalingGroups().activities(names.autoScalingGroup())
                : List.of())
        .build();
  }

  /**
   * The template with the data of the older versions the group and its instances use: a rollout
   * needs them to see whether those instances run what the spec asks (a version may differ from the
   * latest only in the tags it puts on what it launches).
   */
  private static ObservedLaunchTemplate withVersionsInUse(
      Cloud cloud, ObservedLaunchTemplate lt, ObservedGroup g) {
    Set<Long> older = TemplateVersions.inUse(lt, g);
    older.remove(lt.latestVersion());
    return older.isEmpty()
        ? lt
        : lt.withOlderVersions(cloud.launchTemplates().versions(lt.id(), older));
  }

  /**
   * The groups with their instances marked Spot or On-Demand: EC2 is asked, in one batch, about the
   * instances of the groups that may buy Spot (the others buy On-Demand only).
   */
  public static List<ObservedGroup> withSpot(Cloud cloud, List<ObservedGroup> groups) {
    List<String> ids =
        groups.stream()
            .filter(ObservedGroup::buysSpot)
            .flatMap(g -> g.instances().stream().map(ObservedInstance::id))
            .toList();
    if (ids.isEmpty()) {
      return groups;
    }
    Set<String> spot = cloud.purchases().spot(ids);
    return groups.stream().map(g -> g.buysSpot() ? g.withSpot(spot) : g).toList();
  }

  /** Fewer instances than desired are up or on their way: AWS's activities say why. */
  static boolean shortOfInstances(ObservedGroup g) {
    long live = g.instances().stream().filter(i -> !i.leaving()).count();
    return !g.deleting() && live < g.desired();
  }

  /**
   * The group is on another version than the template's latest, or an instance is on one that
   * launches something else (not only other tags): a rollout may be due or running.
   */
  static boolean offVersion(ObservedGroup g, ObservedLaunchTemplate lt) {
    long latest = lt.latestVersion();
    return !Long.valueOf(latest).equals(g.launchTemplateVersion())
        || g.instances().stream()
            .anyMatch(
                i ->
                    !i.leaving()
                        && i.launchTemplateVersion() != null
                        && i.launchTemplateVersion() != latest
                        && (lt.latestData() == null
                            || !lt.latestData().sameLaunch(lt.data(i.launchTemplateVersion()))));
  }
}
