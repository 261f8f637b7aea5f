package io.scalableapp.operator.cloud;

import java.time.Instant;

/**
 * An instance refresh of a group, as DescribeInstanceRefreshes reports it.
 *
 * @param targetVersion the launch template version of its DesiredConfiguration; null if none
 * @param targetPolicy the mixed instances policy of its DesiredConfiguration; null if none
 */
public record ObservedRefresh(
    String id,
    RefreshStatus status,
    String statusReason,
    Integer percentComplete,
    Integer instancesToUpdate,
    Long targetVersion,
    Instant startTime,
    Instant endTime,
    InstancesPolicy targetPolicy) {

  public ObservedRefresh(
      String id,
      RefreshStatus status,
      String statusReason,
      Integer percentComplete,
      Integer instancesToUpdate,
      Long targetVersion,
      Instant startTime,
      Instant endTime) {
    this(
        id,
        status,
        statusReason,
        percentComplete,
        instancesToUpdate,
        targetVersion,
        startTime,
        endTime,
        null);
  }

  public boolean active() {
    return status.active();
  }

  /** Ended without putting the target version everywhere. */
  public boolean failed() {
    return status.failed();
  }
}
