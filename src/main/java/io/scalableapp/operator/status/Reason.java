package io.scalableapp.operator.status;

/**
 * Every reason the operator gives in a condition or an event of its own (an applied action's event
 * is named after the action). Warning reasons are also recorded as Warning events when they appear.
 */
public enum Reason {
  // Ready and Progressing
  Ready(false),
  Stable(false),
  Provisioning(false),
  Updating(false),
  Scaling(false),
  RollingOut(false),
  Paused(false),
  InsufficientCapacity(false),
  AsExpected(false),
  // Degraded: the user must act
  InvalidSpec(true),
  AwsError(true),
  AccessDenied(true),
  OwnershipConflict(true),
  UnsupportedChange(true),
  LaunchFailed(true),
  RolloutFailed(true),
  RolledBack(true),
  // events only
  RolloutSucceeded(false),
  RolloutCancelled(false),
  SingleAvailabilityZone(true);

  private final boolean warning;

  Reason(boolean warning) {
    this.warning = warning;
  }

  /** Recorded as a Warning event (otherwise Normal). */
  public boolean warning() {
    return warning;
  }
}
