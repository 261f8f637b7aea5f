package io.scalableapp.operator.cloud;

import java.util.Arrays;

/** An Auto Scaling instance's lifecycle state, as AWS names it. */
public enum LifecycleState {
  Pending("Pending"),
  PendingWait("Pending:Wait"),
  PendingProceed("Pending:Proceed"),
  Quarantined("Quarantined"),
  InService("InService"),
  Terminating("Terminating"),
  TerminatingWait("Terminating:Wait"),
  TerminatingProceed("Terminating:Proceed"),
  /** Kept by an instance lifecycle policy after leaving the group. */
  TerminatingRetained("Terminating:Retained"),
  Terminated("Terminated"),
  Detaching("Detaching"),
  Detached("Detached"),
  EnteringStandby("EnteringStandby"),
  Standby("Standby"),
  ReplacingRootVolume("ReplacingRootVolume"),
  ReplacingRootVolumeWait("ReplacingRootVolume:Wait"),
  ReplacingRootVolumeProceed("ReplacingRootVolume:Proceed"),
  RootVolumeReplaced("RootVolumeReplaced"),
  /** A state this operator does not know (a newer AWS). */
  Unknown("Unknown");

  private final String awsName;

  LifecycleState(String awsName) {
    this.awsName = awsName;
  }

  public static LifecycleState of(String awsName) {
    return Arrays.stream(values())
        .filter(s -> s.awsName.equals(awsName))
        .findFirst()
        .orElse(Unknown);
  }

  /** AWS's name, e.g. {@code Terminating:Wait}. */
  public String awsName() {
    return awsName;
  }

  public boolean inService() {
    return this == InService;
  }

  /** On its way out of the group (terminating or detaching): no longer counts. */
  public boolean leaving() {
    return switch (this) {
      case Terminating, TerminatingWait, TerminatingProceed, Terminated, Detaching, Detached ->
          true;
      default -> false;
    };
  }
}
