package io.scalableapp.sandbox.sim;

/**
 * What the simulated world does to a fleet besides answering API calls: the CPU load on its
 * instances, and the faults of a real deployment (instances whose app never passes a health check,
 * launches AWS refuses). The sandbox puts load on the employee directory and plays a bad release
 * through it; behaviour tests use it too. Thread-safe; takes effect from the next time step.
 */
public interface Faults {
  /**
   * The CPU demand on a group, in percent of one instance (200 = two instances fully busy); spread
   * evenly over its InService instances, each capped at 100.
   */
  void setCpuDemand(String groupName, double percentOfOneInstance);

  /** Instances launched from this launch template version never pass their health checks. */
  void failHealthChecksOf(String templateId, long version);

  /**
   * Launches of instances from this image fail, as AWS fails them for an image that does not exist
   * (or a missing key pair, an exhausted quota): no instance, and a Failed scaling activity
   * carrying {@code message}.
   */
  void failLaunchesFromImage(String imageId, String message);

  /** Launches succeed again (instances already failing health checks keep failing). */
  void healLaunches();

  /**
   * EC2 reclaims one of the group's Spot instances: it first signals a rebalance recommendation
   * (the instance is at elevated risk), then interrupts it two minutes later. With capacity
   * rebalancing the group launches a replacement on the signal and terminates the instance once the
   * replacement is in service; without, the instance is interrupted and replaced afterwards.
   */
  void interruptSpot(String groupName);

  /**
   * AWS refuses groups that launch this instance type (one not offered in the subnets' zones): a
   * create, an update or a refresh whose launch template or mixed instances policy names it is
   * refused with {@code message}.
   */
  void refuseInstanceType(String instanceType, String message);
}
