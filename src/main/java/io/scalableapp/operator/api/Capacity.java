package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Horizontal bounds of the fleet: the Auto Scaling Group's min, max and desired capacity. */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.min <= self.max", message = "capacity.min must be <= capacity.max")
@ValidationRule(
    value = "!has(self.desired) || (self.desired >= self.min && self.desired <= self.max)",
    message = "capacity.desired must be within [capacity.min, capacity.max]")
public class Capacity {
  public static final int LIMIT = 10000;

  @Required
  @Min(0)
  @Max(LIMIT)
  @JsonPropertyDescription("Fewest instances the group keeps running; enforced on every resync.")
  public Integer min;

  @Required
  @Min(0)
  @Max(LIMIT)
  @JsonPropertyDescription(
      "Most instances the group may run, including scale-out; enforced on every resync.")
  public Integer max;

  @Min(0)
  @Max(LIMIT)
  @SpecReplicas
  @JsonPropertyDescription(
      "Instances to run now. Applied when the group is created and whenever this value changes;"
          + " otherwise the group's own scaling owns desired capacity. Unset: start at min.")
  public Integer desired;

  public Capacity() {}

  public Capacity(Integer min, Integer max, Integer desired) {
    this.min = min;
    this.max = max;
    this.desired = desired;
  }
}
