package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A target-tracking scaling policy on the group's average CPU utilization. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Scaling {
  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Average CPU utilization (percent) the group scales out and in to hold"
          + " (ASGAverageCPUUtilization).")
  public Double targetCpuUtilization;

  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a new instance takes before its CPU counts toward the group's average. Unset: the"
          + " group's default (300).")
  public Integer estimatedWarmupSeconds;

  @JsonPropertyDescription("true: the policy only scales out; scale-in is left to you.")
  public Boolean disableScaleIn;

  public Scaling() {}

  public Scaling(
      Double targetCpuUtilization, Integer estimatedWarmupSeconds, Boolean disableScaleIn) {
    this.targetCpuUtilization = targetCpuUtilization;
    this.estimatedWarmupSeconds = estimatedWarmupSeconds;
    this.disableScaleIn = disableScaleIn;
  }
}
