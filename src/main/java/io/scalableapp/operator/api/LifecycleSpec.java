package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Lifecycle hooks: how long a leaving instance is given after it left the target group before it
 * terminates, and how long a new one may take to say its app answers before it goes in service.
 * Each is a timeout: a hook never holds a scale-in, a rollout or a deletion longer.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LifecycleSpec {
  @Min(30)
  @Max(7200)
  @JsonPropertyDescription(
      "Seconds a leaving instance (scale-in, a rollout's replacement, a Spot interruption) waits in"
          + " Terminating:Wait after the target group drained it (targetGroup.deregistrationDelay"
          + "Seconds), then terminates; the instance may end it sooner with"
          + " complete-lifecycle-action. A termination hook named sapp-drain. Unset: none.")
  public Integer drainSeconds;

  @Min(30)
  @Max(7200)
  @JsonPropertyDescription(
      "Seconds a new instance may wait in Pending:Wait for its user data to report the app healthy"
          + " (aws autoscaling complete-lifecycle-action --lifecycle-hook-name sapp-launch ...)"
          + " before it goes in service anyway. A launch hook named sapp-launch. Unset: none.")
  public Integer launchTimeoutSeconds;
}
