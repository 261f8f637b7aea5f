package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An Auto Scaling Group's mixed instances policy apart from its launch template: the instance types
 * (a list, or the attributes AWS selects them by) and how they are bought. Values normalised as the
 * operator compares them: AWS's defaults filled in, lists sorted where their order means nothing.
 *
 * @param types the types in order of preference; empty when {@code requirements} select them
 * @param onDemandBase capacity bought On-Demand before any Spot
 * @param onDemandPercentAboveBase percent of the capacity above the base bought On-Demand
 * @param spotAllocationStrategy how Spot capacity is chosen across types and zones
 */
public record InstancesPolicy(
    List<TypeOverride> types,
    Requirements requirements,
    int onDemandBase,
    int onDemandPercentAboveBase,
    String spotAllocationStrategy) {
  /** AWS's defaults when a policy leaves them out. */
  public static final int DEFAULT_ON_DEMAND_BASE = 0;

  public static final int DEFAULT_ON_DEMAND_PERCENT = 100;
  public static final String AWS_DEFAULT_SPOT_STRATEGY = "lowest-price";

  /** One type of the list, with the capacity units it counts for (null: unweighted). */
  public record TypeOverride(String instanceType, Integer weight) {}

  /**
   * Attribute-based selection (AWS's InstanceRequirements, the attributes the operator sets).
   *
   * @param cpuManufacturers sorted; empty: any (intel, amd, amazon-web-services)
   * @param burstable AWS's BurstablePerformance: included, excluded (AWS's default) or required
   */
  public record Requirements(
      int vcpuMin,
      Integer vcpuMax,
      int memoryMinMiB,
      Integer memoryMaxMiB,
      List<String> cpuManufacturers,
      List<String> allowedTypes,
      List<String> excludedTypes,
      String burstable) {
    public static final String EXCLUDED = "excluded";

    public Requirements {
      cpuManufacturers = Ids.sorted(cpuManufacturers == null ? List.of() : cpuManufacturers);
      allowedTypes = Ids.sorted(allowedTypes == null ? List.of() : allowedTypes);
      excludedTypes = Ids.sorted(excludedTypes == null ? List.of() : excludedTypes);
      burstable = burstable == null ? EXCLUDED : burstable;
    }

    /** Whether an instance type with these facts meets the requirements. */
    public boolean admits(
        String type, int vcpus, int memoryMiB, String manufacturer, boolean burst) {
      return vcpus >= vcpuMin
          && (vcpuMax == null || vcpus <= vcpuMax)
          && memoryMiB >= memoryMinMiB
          && (memoryMaxMiB == null || memoryMiB <= memoryMaxMiB)
          && (cpuManufacturers.isEmpty() || cpuManufacturers.contains(manufacturer))
          && (allowedTypes.isEmpty() || allowedTypes.stream().anyMatch(p -> matches(p, type)))
          && excludedTypes.stream().noneMatch(p -> matches(p, type))
          && (burstable.equals("included") || burst == burstable.equals("required"));
    }

    /** Compact and stable: vcpu=2-4,mem=4096-,cpu=amd+intel,allow=m5.*,burst=excluded. */
    public String describe() {
      return "vcpu="
          + vcpuMin
          + "-"
          + (vcpuMax == null ? "" : vcpuMax)
          + ",mem="
          + memoryMinMiB
          + "-"
          + (memoryMaxMiB == null ? "" : memoryMaxMiB)
          + (cpuManufacturers.isEmpty() ? "" : ",cpu=" + String.join("+", cpuManufacturers))
          + (allowedTypes.isEmpty() ? "" : ",allow=" + String.join("+", allowedTypes))
          + (excludedTypes.isEmpty() ? "" : ",exclude=" + String.join("+", excludedTypes))
          + ",burst="
          + burstable;
    }

    /** AWS's wildcard: {@code *} stands for any characters ("m5.*", "c7*", "*.large"). */
    static boolean matches(String pattern, String type) {
      return type.matches(
          java.util.Arrays.stream(pattern.split("\\*", -1))
              .map(java.util.regex.Pattern::quote)
              .reduce((a, b) -> a + ".*" + b)
              .orElse(""));
    }
  }

  public InstancesPolicy {
    types = List.copyOf(types == null ? List.of() : types);
    spotAllocationStrategy =
        spotAllocationStrategy == null ? AWS_DEFAULT_SPOT_STRATEGY : spotAllocationStrategy;
  }

  /** The listed types' names. */
  public List<String> typeNames() {
    return types.stream().map(TypeOverride::instanceType).toList();
  }

  /** Whether instances may be bought as Spot at all. */
  public boolean usesSpot() {
    return onDemandPercentAboveBase < 100;
  }

  /**
   * What differs between two launch configurations' policies (null: the launch template alone, one
   * type On-Demand) that decides which instances are launched: the types or the attributes that
   * select them, and the On-Demand/Spot split. Empty when only future choices differ.
   */
  public static List<String> launchDifferences(InstancesPolicy from, InstancesPolicy to) {
    var out = new ArrayList<String>();
    List<String> fromTypes = from == null ? List.of() : Ids.sorted(from.typeNames());
    List<String> toTypes = to == null ? List.of() : Ids.sorted(to.typeNames());
    if (!fromTypes.equals(toTypes)) {
      out.add("instance types " + describe(fromTypes) + " -> " + describe(toTypes));
    }
    if (requirementsChanged(from, to)) {
      out.add(
          "instance requirements "
              + describe(requirements(from))
              + " -> "
              + describe(requirements(to)));
    }
    if (splitChanged(from, to)) {
      out.add("On-Demand/Spot split " + describeSplit(from) + " -> " + describeSplit(to));
    }
    return out;
  }

  /**
   * The attributes that select the types differ. AWS, not the instance list, says which running
   * instances they exclude.
   */
  public static boolean requirementsChanged(InstancesPolicy from, InstancesPolicy to) {
    return !Objects.equals(requirements(from), requirements(to));
  }

  /** The On-Demand/Spot split differs: how an instance was bought is not visible per instance. */
  public static boolean splitChanged(InstancesPolicy from, InstancesPolicy to) {
    return onDemandBase(from) != onDemandBase(to) || onDemandPercent(from) != onDemandPercent(to);
  }

  private static Requirements requirements(InstancesPolicy p) {
    return p == null ? null : p.requirements();
  }

  private static int onDemandBase(InstancesPolicy p) {
    return p == null ? DEFAULT_ON_DEMAND_BASE : p.onDemandBase();
  }

  private static int onDemandPercent(InstancesPolicy p) {
    return p == null ? DEFAULT_ON_DEMAND_PERCENT : p.onDemandPercentAboveBase();
  }

  private static String describe(Requirements r) {
    return r == null ? "(none)" : r.describe();
  }

  /** What differs that only affects instances launched from now on. */
  public static List<String> futureDifferences(InstancesPolicy from, InstancesPolicy to) {
    var out = new ArrayList<String>();
    if (from == null || to == null) {
      if (from != to) {
        out.add(from == null ? "mixed instances policy added" : "mixed instances policy removed");
      }
      return out;
    }
    if (Ids.sorted(from.typeNames()).equals(Ids.sorted(to.typeNames()))
        && !from.types().equals(to.types())) {
      out.add("instance type order or weights changed");
    }
    if (!from.spotAllocationStrategy().equals(to.spotAllocationStrategy())) {
      out.add(
          "Spot allocation strategy "
              + from.spotAllocationStrategy()
              + " -> "
              + to.spotAllocationStrategy());
    }
    return out;
  }

  private static String describe(List<String> types) {
    return types.isEmpty() ? "(the launch template's)" : String.join(",", types);
  }

  private static String describeSplit(InstancesPolicy p) {
    return p == null
        ? "On-Demand only"
        : p.onDemandBase() + " + " + p.onDemandPercentAboveBase() + "% On-Demand";
  }

  /** A short, stable key: what a failed rollout toward this policy is remembered by. */
  public static String key(InstancesPolicy p) {
    if (p == null) {
      return null;
    }
    String what =
        p.requirements() != null
            ? p.requirements().describe()
            : String.join(",", Ids.sorted(p.typeNames()));
    return what + ";od=" + p.onDemandBase() + "+" + p.onDemandPercentAboveBase() + "%";
  }
}
