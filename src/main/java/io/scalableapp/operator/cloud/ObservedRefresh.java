package io.scalableapp.operator.cloud;

import java.time.Instant;

/**
 * An instance refresh of a group, as DescribeInstanceRefreshes reports it.
 *
 * @param targetVersion the launch template version of its DesiredConfiguration; null if none
 */
public record ObservedRefresh(
    String id,
    RefreshStatus status,
    String statusReason,
    Integer percentComplete,
    Integer instancesToUpdate,
    Long targetVersion,
    Instant startTime,
    Instant endTime) {

  public boolean active() {
    return status.active();
  }

  /** Ended without putting the target version everywhere. */
  public boolean failed() {
    return status.failed();
  }
}
