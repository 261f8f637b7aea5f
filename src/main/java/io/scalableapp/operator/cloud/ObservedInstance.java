package io.scalableapp.operator.cloud;

/**
 * An instance of a group.
 *
 * @param healthy the group's health status: false once AWS marks it Unhealthy (to be replaced)
 * @param launchTemplateVersion the version the instance was launched with, null if unknown
 */
public record ObservedInstance(
    String id,
    String availabilityZone,
    LifecycleState lifecycleState,
    boolean healthy,
    String instanceType,
    Long launchTemplateVersion) {

  public boolean inService() {
    return lifecycleState.inService();
  }

  /** On its way out of the group (terminating, detaching): no longer counts. */
  public boolean leaving() {
    return lifecycleState.leaving();
  }
}
