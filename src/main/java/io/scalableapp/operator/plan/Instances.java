package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.INSTANCE_TYPE_PATTERN;

import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.InstancesSpec;
import io.scalableapp.operator.api.InstancesSpec.InstanceRequirementsSpec;
import io.scalableapp.operator.api.InstancesSpec.InstanceTypeSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.InstancesPolicy;
import java.util.HashSet;
import java.util.List;

/**
 * Which instance types the group launches and how it buys them (spec.instanceType, or
 * spec.instances: the group's mixed instances policy over the launch template). The group planner
 * creates the group with it, the rollout planner moves running instances to it; here are its rules
 * and what AWS should hold for it.
 */
public final class Instances {
  /** AWS's most instance types in a mixed instances policy. */
  static final int MAX_TYPES = 40;

  private Instances() {}

  static void validate(ScalableAppSpec s, Problems v) {
    InstancesSpec in = s.instances;
    boolean typesChosen = in != null && (in.types != null || in.requirements != null);
    if (s.instanceType == null && !typesChosen) {
      v.add(
          "spec.instanceType: required unless spec.instances.types or spec.instances.requirements"
              + " choose the instance types");
    } else if (s.instanceType != null && typesChosen) {
      v.add(
          "spec.instanceType: must be unset when spec.instances."
              + (in.types != null ? "types" : "requirements")
              + " chooses the instance types");
    }
    knownType(v, "spec.instanceType", s.instanceType);
    if (in == null) {
      return;
    }
    if (in.types != null && in.requirements != null) {
      v.add("spec.instances: give types or requirements, not both");
    }
    if (in.types != null) {
      types(v, in.types);
    }
    if (in.requirements != null) {
      requirements(v, in.requirements);
    }
    v.range(
        "spec.instances.onDemandBaseCapacity", in.onDemandBaseCapacity, 0, Capacity.LIMIT, false);
    v.range(
        "spec.instances.onDemandPercentageAboveBase",
        in.onDemandPercentageAboveBase,
        0,
        100,
        false);
    if (in.onDemandBaseCapacity != null
        && s.capacity != null
        && s.capacity.max != null
        && in.onDemandBaseCapacity > s.capacity.max) {
      v.add(
          "spec.instances.onDemandBaseCapacity: "
              + in.onDemandBaseCapacity
              + " is more than spec.capacity.max ("
              + s.capacity.max
              + ")");
    }
    v.oneOf(
        "spec.instances.spotAllocationStrategy",
        in.spotAllocationStrategy,
        InstancesSpec.SpotAllocationStrategy.class);
  }

  private static void knownType(Problems v, String field, String type) {
    if (type != null && type.matches(INSTANCE_TYPE_PATTERN) && !InstanceTypes.known(type)) {
      v.add(field + ": '" + type + "' is not an EC2 instance type");
    }
  }

  private static void types(Problems v, List<InstanceTypeSpec> types) {
    if (types.isEmpty() || types.size() > MAX_TYPES) {
      v.add("spec.instances.types: needs 1 to " + MAX_TYPES + " types, has " + types.size());
    }
    var seen = new HashSet<String>();
    long weighted = types.stream().filter(t -> t != null && t.weight != null).count();
    for (int i = 0; i < types.size(); i++) {
      InstanceTypeSpec t = types.get(i);
      String field = "spec.instances.types[" + i + "]";
      if (t == null) {
        v.add(field + ": required");
        continue;
      }
      v.pattern(field + ".type", t.type, INSTANCE_TYPE_PATTERN, true);
      knownType(v, field + ".type", t.type);
      if (t.type != null && !seen.add(t.type)) {
        v.add(field + ".type: '" + t.type + "' is listed twice");
      }
      v.range(field + ".weight", t.weight, 1, 999, false);
      if (weighted > 0 && weighted < types.size() && t.weight == null) {
        v.add(field + ".weight: required, since other types have a weight (on every type or none)");
      }
    }
  }

  private static void requirements(Problems v, InstanceRequirementsSpec r) {
    String at = "spec.instances.requirements";
    range(v, at + ".vCpu", r.vCpu);
    range(v, at + ".memoryMiB", r.memoryMiB);
    if (r.allowedTypes != null && r.excludedTypes != null) {
      v.add(at + ": give allowedTypes or excludedTypes, not both");
    }
    if (r.cpuArchitectures != null) {
      r.cpuArchitectures.stream()
          .filter(a -> !"x86_64".equals(a) && !"arm64".equals(a))
          .forEach(a -> v.add(at + ".cpuArchitectures: '" + a + "' is not one of [x86_64, arm64]"));
    }
    for (String list : List.of("allowedTypes", "excludedTypes")) {
      List<String> types = list.equals("allowedTypes") ? r.allowedTypes : r.excludedTypes;
      if (types == null) {
        continue;
      }
      if (types.size() > 400) {
        v.add(at + "." + list + ": at most 400 types");
      }
      types.stream()
          .filter(t -> t == null || !t.matches("^[a-z0-9.*-]{1,30}$"))
          .forEach(
              t -> v.add(at + "." + list + ": '" + t + "' is not an instance type or pattern"));
    }
    if (ordered(r.vCpu) && ordered(r.memoryMiB) && InstanceTypes.admitted(policyOf(r)).isEmpty()) {
      v.add(at + ": no EC2 instance type meets these requirements");
    }
  }

  private static boolean ordered(InstancesSpec.Range r) {
    return r != null && r.min != null && (r.max == null || r.min <= r.max);
  }

  private static void range(Problems v, String field, InstancesSpec.Range r) {
    if (r == null) {
      v.add(field + ": required");
      return;
    }
    v.range(field + ".min", r.min, 0, Integer.MAX_VALUE, true);
    v.range(field + ".max", r.max, 0, Integer.MAX_VALUE, false);
    if (r.min != null && r.max != null && r.min > r.max) {
      v.add(field + ": min (" + r.min + ") must be <= max (" + r.max + ")");
    }
  }

  /** The mixed instances policy the spec asks for; null for instanceType alone. */
  public static InstancesPolicy desired(ScalableAppSpec s) {
    InstancesSpec in = s.instances;
    if (in == null) {
      return null;
    }
    return new InstancesPolicy(
        in.types == null
            ? List.of()
            : in.types.stream()
                .map(t -> new InstancesPolicy.TypeOverride(t.type, t.weight))
                .toList(),
        in.requirements == null ? null : policyOf(in.requirements),
        in.onDemandBaseCapacity == null
            ? InstancesPolicy.DEFAULT_ON_DEMAND_BASE
            : in.onDemandBaseCapacity,
        in.onDemandPercentageAboveBase == null
            ? InstancesPolicy.DEFAULT_ON_DEMAND_PERCENT
            : in.onDemandPercentageAboveBase,
        in.spotAllocationStrategy == null
            ? InstancesSpec.DEFAULT_SPOT_STRATEGY
            : in.spotAllocationStrategy);
  }

  /** The launch template's instance type: spec.instanceType, or the first listed type. */
  public static String templateType(ScalableAppSpec s) {
    if (s.instanceType != null || s.instances == null || s.instances.types == null) {
      return s.instanceType;
    }
    return s.instances.types.isEmpty() ? null : s.instances.types.get(0).type;
  }

  /** Whether the group replaces Spot instances at elevated risk of interruption. */
  public static boolean capacityRebalance(ScalableAppSpec s) {
    return s.instances != null && Boolean.TRUE.equals(s.instances.capacityRebalance);
  }

  private static InstancesPolicy.Requirements policyOf(InstanceRequirementsSpec r) {
    List<String> manufacturers =
        r.cpuArchitectures == null
            ? List.of()
            : r.cpuArchitectures.stream()
                .flatMap(
                    a ->
                        a.equals("arm64")
                            ? java.util.stream.Stream.of("amazon-web-services")
                            : java.util.stream.Stream.of("intel", "amd"))
                .distinct()
                .toList();
    return new InstancesPolicy.Requirements(
        r.vCpu.min,
        r.vCpu.max,
        r.memoryMiB.min,
        r.memoryMiB.max,
        manufacturers,
        r.allowedTypes,
        r.excludedTypes,
        r.burstable == null ? null : r.burstable ? "included" : "excluded");
  }
}
