package io.scalableapp.operator.cloud;

/**
 * An instance of a group.
 *
 * @param lifecycleState e.g. Pending, InService, Terminating
 * @param launchTemplateVersion the version the instance was launched with, null if unknown
 */
public record ObservedInstance(
    String id,
    String availabilityZone,
    String lifecycleState,
    String healthStatus,
    String instanceType,
    Long launchTemplateVersion) {

  public boolean inService() {
    return "InService".equals(lifecycleState);
  }

  /** On its way out of the group (Terminating*, Detaching, Detached): no longer counts. */
  public boolean leaving() {
    return lifecycleState != null
        && (lifecycleState.startsWith("Terminat") || lifecycleState.startsWith("Detach"));
  }
}
