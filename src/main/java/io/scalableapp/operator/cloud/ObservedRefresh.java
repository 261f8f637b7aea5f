package io.scalableapp.operator.cloud;

import java.time.Instant;
import java.util.Set;

/**
 * An instance refresh of a group, as DescribeInstanceRefreshes reports it.
 *
 * @param status Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress,
 *     RollbackFailed, RollbackSuccessful or Baking
 * @param targetVersion the launch template version of its DesiredConfiguration; null if none
 */
public record ObservedRefresh(
    String id,
    String status,
    String statusReason,
    Integer percentComplete,
    Integer instancesToUpdate,
    Long targetVersion,
    Instant startTime,
    Instant endTime) {
  public static final Set<String> ACTIVE =
      Set.of("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking");

  public boolean active() {
    return ACTIVE.contains(status);
  }

  /** Ended without putting the target version everywhere. */
  public boolean failed() {
    return "Failed".equals(status) || status.startsWith("Rollback");
  }
}
