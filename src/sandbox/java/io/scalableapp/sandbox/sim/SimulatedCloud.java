package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.Subnet;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated AWS side of one region, behind the same cloud port as the AWS adapters: EC2 launch
 * templates ({@link SimLaunchTemplates}), ELBv2 target groups and load balancers ({@link
 * SimTargetGroups}, {@link SimLoadBalancers}), and EC2 Auto Scaling with its instances, refreshes
 * and target tracking ({@link SimAutoScaling}), all over one {@link World} on a {@link SimClock}.
 * Errors use AWS's codes and the operator's CloudException kinds, as the adapters do. {@link
 * #faults()} sets CPU load and failures; {@link #view(String)} is what the AWS console would show.
 */
public final class SimulatedCloud implements CloudProvider {
  private final World world;
  private final FaultState faults = new FaultState();
  private final SimTargetGroups targetGroups;
  private final SimAutoScaling autoScaling;
  private final SimLoadBalancers loadBalancers;
  private final Cloud cloud;
  private final SimImageParameters parameters = new SimImageParameters();

  public SimulatedCloud(SimClock clock, World.Settings settings, String region) {
    this.world = new World(clock, settings, region);
    var elb = new Object();
    var templates = new SimLaunchTemplates(world);
    this.targetGroups = new SimTargetGroups(world, elb);
    this.loadBalancers = new SimLoadBalancers(world, elb, targetGroups);
    targetGroups.listenersOf(loadBalancers);
    this.autoScaling = new SimAutoScaling(world, templates, targetGroups, faults);
    world.add(autoScaling);
    world.add(targetGroups);
    this.cloud =
        new Cloud(
            templates,
            new SimSubnets(world),
            targetGroups,
            autoScaling,
            loadBalancers,
            ids ->
                ids.stream()
                    .filter(id -> world.instance(id).map(i -> i.spot).orElse(false))
                    .collect(java.util.stream.Collectors.toSet()),
            parameters);
  }

  public SimulatedCloud(SimClock clock) {
    this(clock, World.Settings.DEFAULT, "us-east-1");
  }

  /** The one region's port, whatever region is asked for. */
  @Override
  public Cloud forRegion(String region) {
    return cloud;
  }

  /** This one region, whatever region is asked for. */
  @Override
  public String region(String region) {
    return world.region();
  }

  public SimClock clock() {
    return world.clock();
  }

  /** Load and faults. */
  public Faults faults() {
    return faults;
  }

  /** A subnet in {@code az} of {@code vpc}, as the user's network would provide. */
  public Subnet addSubnet(String vpcId, String availabilityZone) {
    return addSubnet("subnet-" + world.hex(17), vpcId, availabilityZone);
  }

  /** A subnet with a given id (the one a manifest names). */
  public Subnet addSubnet(String id, String vpcId, String availabilityZone) {
    return world.addSubnet(id, vpcId, availabilityZone);
  }

  /**
   * A new value of an SSM parameter: AWS publishing a new image under one of its public parameters
   * (it holds the Amazon Linux 2023 ones), or a user's own.
   */
  public void putParameter(String name, String value) {
    parameters.put(name, value);
  }

  /** Brings the model up to the clock's time. */
  public void tick() {
    world.tick();
  }

  /**
   * A group's instances by zone and type, healthy targets, CPU and its refresh, Spot instances in
   * service, warm instances ready in its warm pool, and instances waiting on a drain hook.
   */
  public record GroupView(
      String name,
      int desired,
      Map<String, Map<String, Long>> inServiceByZoneAndType,
      int healthyTargets,
      double averageCpu,
      String refresh,
      int healthyInService,
      long spotInService,
      List<String> warmReady,
      long draining) {

    /** Instances InService by type, over all zones. */
    public Map<String, Long> inServiceByType() {
      var types = new TreeMap<String, Long>();
      inServiceByZoneAndType
          .values()
          .forEach(m -> m.forEach((t, n) -> types.merge(t, n, Long::sum)));
      return types;
    }
  }

  /** What a user would see in the console: one line per group. */
  public List<GroupView> view() {
    world.tick();
    return autoScaling.names().stream().map(this::view).flatMap(Optional::stream).toList();
  }

  /** The console line of one group; empty when there is no such group (yet). */
  public Optional<GroupView> view(String groupName) {
    world.tick();
    synchronized (autoScaling) {
      return autoScaling.group(groupName).map(this::view);
    }
  }

  /** Instances in service whose targets are healthy: what a user's traffic can reach. */
  public int healthyInService(String groupName) {
    return view(groupName).map(GroupView::healthyInService).orElse(0);
  }

  /**
   * Healthy targets in the target groups a load balancer's listeners forward to: what its users'
   * requests can reach. 0 when there is no such load balancer.
   */
  public int reachableBehind(String loadBalancerName) {
    world.tick();
    return loadBalancers
        .find(loadBalancerName)
        .map(
            lb ->
                targetGroups.healthyTargets(
                    lb.listeners().stream()
                        .map(ObservedLoadBalancer.Listener::targetGroupArn)
                        .filter(java.util.Objects::nonNull)
                        .distinct()
                        .toList()))
        .orElse(0);
  }

  private GroupView view(SimGroup g) {
    Map<String, Map<String, Long>> byZone = new TreeMap<>();
    for (SimInstance i : g.inService()) {
      byZone.computeIfAbsent(i.az, k -> new TreeMap<>()).merge(i.type, 1L, Long::sum);
    }
    Fleet fleet = autoScaling.fleet();
    return new GroupView(
        g.name,
        g.desired,
        byZone,
        targetGroups.healthyTargets(g.targetGroupArns),
        fleet.averageCpu(g),
        g.refreshes.isEmpty() ? null : g.refreshes.get(0).describe(),
        (int) g.live().stream().filter(i -> fleet.healthy(g, i)).count(),
        g.inService().stream().filter(i -> i.spot).count(),
        g.warm.stream()
            .filter(i -> !WarmPoolConfig.WARMED_PENDING.equals(i.warmState))
            .map(i -> i.id)
            .toList(),
        g.instances.stream()
            .filter(i -> i.state == io.scalableapp.operator.cloud.LifecycleState.TerminatingWait)
            .count());
  }
}
