package io.scalableapp.operator.cloud;

/**
 * An instance of a group.
 *
 * @param healthy the group's health status: false once AWS marks it Unhealthy (to be replaced)
 * @param launchTemplateVersion the version the instance was launched with, null if unknown
 * @param spot bought as Spot (EC2 says so; Auto Scaling does not): false for On-Demand, and for any
 *     instance of a group whose launch configuration buys no Spot
 */
public record ObservedInstance(
    String id,
    String availabilityZone,
    LifecycleState lifecycleState,
    boolean healthy,
    String instanceType,
    Long launchTemplateVersion,
    boolean spot) {

  public ObservedInstance(
      String id,
      String availabilityZone,
      LifecycleState lifecycleState,
      boolean healthy,
      String instanceType,
      Long launchTemplateVersion) {
    this(id, availabilityZone, lifecycleState, healthy, instanceType, launchTemplateVersion, false);
  }

  public ObservedInstance withSpot(boolean value) {
    return new ObservedInstance(
        id, availabilityZone, lifecycleState, healthy, instanceType, launchTemplateVersion, value);
  }

  public boolean inService() {
    return lifecycleState.inService();
  }

  /** On its way out of the group (terminating, detaching): no longer counts. */
  public boolean leaving() {
    return lifecycleState.leaving();
  }
}
