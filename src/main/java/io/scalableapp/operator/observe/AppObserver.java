package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.plan.AppNames;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the AWS state of one app: the only place the reconciler reads AWS. It never changes
 * anything. Batched reads across many apps can replace it without touching the planner.
 */
public class AppObserver {
  private final CloudProvider clouds;

  public AppObserver(CloudProvider clouds) {
    this.clouds = clouds;
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
    Cloud cloud = clouds.forRegion(region);
    var subnets = subnetIds.isEmpty() ? List.<Subnet>of() : cloud.subnets().describe(subnetIds);
    var lt = cloud.launchTemplates().find(names.launchTemplate());
    Optional<ObservedGroup> group = cloud.autoScalingGroups().find(names.autoScalingGroup());
    if (lt.isPresent() && group.isPresent()) {
      lt = Optional.of(withVersionsInUse(cloud, lt.get(), group.get()));
    }
    boolean rolloutPossible =
        group.isPresent()
            && (rolloutTracked || lt.map(t -> offVersion(group.get(), t)).orElse(false));
    return ObservedApp.builder()
        .subnets(subnets)
        .launchTemplate(lt.orElse(null))
        .targetGroup(cloud.targetGroups().find(names.targetGroup()).orElse(null))
        .replacementTargetGroup(
            cloud.targetGroups().find(names.replacementTargetGroup()).orElse(null))
        .group(group.orElse(null))
        .policy(
            group.isPresent()
                ? cloud
                    .autoScalingGroups()
                    .findPolicy(names.autoScalingGroup(), names.policy())
                    .orElse(null)
                : null)
        .refreshes(
            rolloutPossible
                ? cloud.autoScalingGroups().refreshes(names.autoScalingGroup())
                : List.of())
        .loadBalancer(
            loadBalancer ? cloud.loadBalancers().find(names.loadBalancer()).orElse(null) : null)
        .activities(
            group.filter(AppObserver::shortOfInstances).isPresent()
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
    if (!lt.id().equals(g.launchTemplateId())) {
      return lt;
    }
    Set<Long> older = new TreeSet<>();
    if (g.launchTemplateVersion() != null) {
      older.add(g.launchTemplateVersion());
    }
    g.instances().stream()
        .map(ObservedInstance::launchTemplateVersion)
        .filter(Objects::nonNull)
        .forEach(older::add);
    older.remove(lt.latestVersion());
    return older.isEmpty()
        ? lt
        : lt.withOlderVersions(cloud.launchTemplates().versions(lt.id(), older));
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
