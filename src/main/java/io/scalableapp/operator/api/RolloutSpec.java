package io.scalableapp.operator.api;

import static io.scalableapp.operator.cloud.RefreshPreferences.DEFAULT_MAX_HEALTHY;
import static io.scalableapp.operator.cloud.RefreshPreferences.DEFAULT_MIN_HEALTHY;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How launch-template changes roll out to running instances (ASG instance refresh preferences). */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.maxHealthyPercentage) ? self.maxHealthyPercentage : "
            + DEFAULT_MAX_HEALTHY
            + ") - (has(self.minHealthyPercentage) ? self.minHealthyPercentage : "
            + DEFAULT_MIN_HEALTHY
            + ") <= 100",
    message = "rollout.maxHealthyPercentage - rollout.minHealthyPercentage must be at most 100")
// AWS refuses a refresh that may neither take an instance out nor add one above desired.
@ValidationRule(
    value =
        "!((has(self.minHealthyPercentage) ? self.minHealthyPercentage : "
            + DEFAULT_MIN_HEALTHY
            + ") == 100 && (has(self.maxHealthyPercentage) ? self.maxHealthyPercentage : "
            + DEFAULT_MAX_HEALTHY
            + ") == 100)",
    message =
        "rollout.minHealthyPercentage 100 needs rollout.maxHealthyPercentage above 100 (room to"
            + " launch a new instance before an old one goes)")
public class RolloutSpec {
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Percent of desired capacity that stays healthy during a rollout (default "
          + DEFAULT_MIN_HEALTHY
          + ").")
  public Integer minHealthyPercentage;

  @Min(100)
  @Max(200)
  @JsonPropertyDescription(
      "Percent of desired capacity the group may reach during a rollout (default "
          + DEFAULT_MAX_HEALTHY
          + ").")
  public Integer maxHealthyPercentage;

  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a new instance is given before the next one is replaced (default: the group's).")
  public Integer instanceWarmupSeconds;

  @JsonPropertyDescription(
      "Skip instances already on the desired launch template version (default true).")
  public Boolean skipMatching;

  @JsonPropertyDescription(
      "Roll back to the previous version when the rollout fails (default true).")
  public Boolean autoRollback;

  @JsonPropertyDescription(
      "With imageId resolve:ssm:<parameter>: roll out the image AWS publishes under the parameter"
          + " when its value changes (default true). false: the image is resolved when imageId"
          + " changes and kept until it changes again.")
  public Boolean followImageParameter;
}
