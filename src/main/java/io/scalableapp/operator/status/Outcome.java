package io.scalableapp.operator.status;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.observe.ObservedApp;
import io.scalableapp.operator.plan.Memory;
import io.scalableapp.operator.plan.Plan;
import java.util.List;

/**
 * What one reconciliation found and did, the input of the status.
 *
 * @param observed the last AWS observation, null when AWS was not (or could not be) read
 * @param remaining the plan still open after applying (all of it while paused), null if none made
 * @param invalid the spec's broken rules; non-empty means nothing else was done
 * @param error the AWS error that stopped the reconciliation, or null
 * @param memory what status remembers after this reconciliation
 */
public record Outcome(
    ObservedApp observed,
    Plan remaining,
    List<String> invalid,
    CloudException error,
    boolean paused,
    Memory memory) {

  public static Outcome invalid(List<String> problems, Memory memory) {
    return new Outcome(null, null, problems, null, false, memory);
  }
}
