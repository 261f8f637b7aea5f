package io.scalableapp.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Which instance types the group launches and how it buys them: the Auto Scaling Group's
 * MixedInstancesPolicy over the app's launch template.
 */
// Unknown fields (a newer CRD, a stray write) must not stop the informer for every app.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.types) && has(self.requirements))",
    message = "instances: give types or requirements, not both")
@ValidationRule(
    value =
        "!has(self.types) || self.types.all(t, has(t.weight)) || self.types.all(t, !has(t.weight))",
    message = "instances.types: give a weight to every type or to none")
public class InstancesSpec {
  /** Every Spot allocation strategy AWS offers. */
  public enum SpotAllocationStrategy {
    @com.fasterxml.jackson.annotation.JsonProperty("price-capacity-optimized")
    PRICE_CAPACITY_OPTIMIZED,
    @com.fasterxml.jackson.annotation.JsonProperty("capacity-optimized")
    CAPACITY_OPTIMIZED,
    @com.fasterxml.jackson.annotation.JsonProperty("capacity-optimized-prioritized")
    CAPACITY_OPTIMIZED_PRIORITIZED,
    @com.fasterxml.jackson.annotation.JsonProperty("lowest-price")
    LOWEST_PRICE
  }

  /** The CPU architectures an attribute-based selection can ask for. */
  public enum CpuArchitecture {
    x86_64,
    arm64
  }

  public static final String DEFAULT_SPOT_STRATEGY = "price-capacity-optimized";

  @Size(min = 1, max = 40)
  @JsonPropertyDescription(
      "Instance types the group may launch, in order of preference, each with an optional weight"
          + " (the capacity units it counts for). Exclusive with requirements and with"
          + " spec.instanceType. The launch template holds the first type.")
  public List<InstanceTypeSpec> types;

  @JsonPropertyDescription(
      "Attribute-based instance type selection: AWS picks every type that meets these. Exclusive"
          + " with types and with spec.instanceType.")
  public InstanceRequirementsSpec requirements;

  @Min(0)
  @Max(Capacity.LIMIT)
  @JsonPropertyDescription(
      "Capacity bought On-Demand before any Spot (default 0). At most spec.capacity.max.")
  public Integer onDemandBaseCapacity;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Percent of the capacity above the base bought On-Demand; the rest is Spot (default 100:"
          + " no Spot).")
  public Integer onDemandPercentageAboveBase;

  // A String with the enum's schema: an unknown value must reach the operator's validator.
  @SchemaFrom(type = SpotAllocationStrategy.class)
  @JsonPropertyDescription(
      "How Spot capacity is chosen across types and zones (default "
          + DEFAULT_SPOT_STRATEGY
          + "). Affects future launches only.")
  public String spotAllocationStrategy;

  @JsonPropertyDescription(
      "Launch a replacement when AWS signals that a Spot instance is at elevated risk of"
          + " interruption, before it is interrupted (default false).")
  public Boolean capacityRebalance;

  /** One instance type of the mix. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InstanceTypeSpec {
    @Required
    @Pattern(ScalableAppSpec.INSTANCE_TYPE_PATTERN)
    @JsonPropertyDescription("EC2 instance type, e.g. m6i.large.")
    public String type;

    @Min(1)
    @Max(999)
    @JsonPropertyDescription(
        "Capacity units an instance of this type counts for (1 to 999); on every type or none.")
    public Integer weight;

    public InstanceTypeSpec() {}

    public InstanceTypeSpec(String type, Integer weight) {
      this.type = type;
      this.weight = weight;
    }
  }

  /** What AWS selects instance types by. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(has(self.allowedTypes) && has(self.excludedTypes))",
      message = "instances.requirements: give allowedTypes or excludedTypes, not both")
  public static class InstanceRequirementsSpec {
    @Required
    @JsonPropertyDescription("vCPUs per instance.")
    public Range vCpu;

    @Required
    @JsonPropertyDescription("Memory per instance, in MiB.")
    public Range memoryMiB;

    @Size(max = 2)
    @ValidationRule(
        value = "self.all(a, a == 'x86_64' || a == 'arm64')",
        message = "cpuArchitectures: x86_64 or arm64")
    @JsonPropertyDescription(
        "CPU architectures: x86_64 (Intel and AMD), arm64 (AWS Graviton). Must match the"
            + " image's. Default: any.")
    public List<String> cpuArchitectures;

    @Size(max = 400)
    @JsonPropertyDescription(
        "Only these types (wildcards allowed, e.g. m6i.*, c7*), if they meet the requirements.")
    public List<String> allowedTypes;

    @Size(max = 400)
    @JsonPropertyDescription("Never these types (wildcards allowed, e.g. t2.*).")
    public List<String> excludedTypes;

    @JsonPropertyDescription(
        "true: burstable types (T family) may be chosen; false or unset: they are not.")
    public Boolean burstable;
  }

  /** An inclusive range; max unset: no upper bound. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "!has(self.max) || self.min <= self.max", message = "min must be <= max")
  public static class Range {
    @Required
    @Min(0)
    @JsonPropertyDescription("Least.")
    public Integer min;

    @Min(0)
    @JsonPropertyDescription("Most; unset: no limit.")
    public Integer max;

    public Range() {}

    public Range(Integer min, Integer max) {
      this.min = min;
      this.max = max;
    }
  }
}
