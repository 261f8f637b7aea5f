package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The group's warm pool: instances launched and initialised ahead of need (their user data has
 * run), kept stopped, hibernated or running, that scale-out puts in service before it launches new
 * ones.
 */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxGroupPreparedCapacity) || !has(self.minSize)"
            + " || self.minSize <= self.maxGroupPreparedCapacity",
    message = "warmPool.minSize must be <= warmPool.maxGroupPreparedCapacity")
public class WarmPoolSpec {
  /** What warm instances are kept as. */
  public enum PoolState {
    Stopped,
    Hibernated,
    Running
  }

  @Min(0)
  @Max(Capacity.LIMIT)
  @JsonPropertyDescription("Fewest instances kept warm (default 0). At most spec.capacity.max.")
  public Integer minSize;

  @Min(0)
  @Max(Capacity.LIMIT)
  @JsonPropertyDescription(
      "Most instances in the group and the pool together. Unset: spec.capacity.max, so the pool"
          + " holds max minus desired instances (at least minSize).")
  public Integer maxGroupPreparedCapacity;

  // A String with the enum's schema: an unknown value must reach the operator's validator.
  @SchemaFrom(type = PoolState.class)
  @JsonPropertyDescription(
      "Stopped (default: pay for volumes only), Hibernated (memory kept; the instance type and"
          + " image must support hibernation) or Running (fastest, paid as running).")
  public String poolState;

  @JsonPropertyDescription(
      "true: instances the group scales in go back to the pool instead of terminating"
          + " (default false).")
  public Boolean reuseOnScaleIn;
}
