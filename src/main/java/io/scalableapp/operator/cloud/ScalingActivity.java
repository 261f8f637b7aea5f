package io.scalableapp.operator.cloud;

import java.time.Instant;

/**
 * One of a group's scaling activities (a launch or a termination), as AWS reports it.
 *
 * @param status e.g. Successful, Failed, Cancelled, InProgress, WaitingForSpotInstanceId
 * @param statusMessage AWS's explanation of a failure, e.g. "The key pair 'ops' does not exist"
 */
public record ScalingActivity(
    String status, String description, String statusMessage, Instant startTime) {
  public boolean failed() {
    return "Failed".equals(status);
  }
}
