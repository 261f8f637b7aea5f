package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.InstancesPolicy;
import java.util.ArrayList;
import software.amazon.awssdk.services.autoscaling.model.InstanceRequirements;
import software.amazon.awssdk.services.autoscaling.model.InstancesDistribution;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplate;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;

/**
 * A group's launch configuration in Auto Scaling's terms, both ways: a numbered launch template
 * version alone, or a MixedInstancesPolicy over it ({@link InstancesPolicy}). Create, update and
 * instance refresh write it; the group's and the refresh's conversions read it.
 */
final class AwsMixedInstances {
  private AwsMixedInstances() {}

  /** A launch template by id and numbered version (never $Latest). */
  static LaunchTemplateSpecification template(String id, long version) {
    return LaunchTemplateSpecification.builder()
        .launchTemplateId(id)
        .version(Long.toString(version))
        .build();
  }

  /** The template named directly, or else the one under the mixed instances policy; or null. */
  static LaunchTemplateSpecification templateOf(
      LaunchTemplateSpecification direct, MixedInstancesPolicy mixed) {
    return direct != null || mixed == null || mixed.launchTemplate() == null
        ? direct
        : mixed.launchTemplate().launchTemplateSpecification();
  }

  static MixedInstancesPolicy mixed(String ltId, long version, InstancesPolicy p) {
    var overrides = new ArrayList<LaunchTemplateOverrides>();
    p.types()
        .forEach(
            t ->
                overrides.add(
                    LaunchTemplateOverrides.builder()
                        .instanceType(t.instanceType())
                        .weightedCapacity(t.weight() == null ? null : t.weight().toString())
                        .build()));
    if (p.requirements() != null) {
      overrides.add(
          LaunchTemplateOverrides.builder()
              .instanceRequirements(requirements(p.requirements()))
              .build());
    }
    return MixedInstancesPolicy.builder()
        .launchTemplate(
            LaunchTemplate.builder()
                .launchTemplateSpecification(template(ltId, version))
                .overrides(overrides)
                .build())
        .instancesDistribution(
            InstancesDistribution.builder()
                .onDemandBaseCapacity(p.onDemandBase())
                .onDemandPercentageAboveBaseCapacity(p.onDemandPercentAboveBase())
                .spotAllocationStrategy(p.spotAllocationStrategy())
                .build())
        .build();
  }

  private static InstanceRequirements requirements(InstancesPolicy.Requirements q) {
    return InstanceRequirements.builder()
        .vCpuCount(v -> v.min(q.vcpuMin()).max(q.vcpuMax()))
        .memoryMiB(m -> m.min(q.memoryMinMiB()).max(q.memoryMaxMiB()))
        .cpuManufacturersWithStrings(q.cpuManufacturers().isEmpty() ? null : q.cpuManufacturers())
        .allowedInstanceTypes(q.allowedTypes().isEmpty() ? null : q.allowedTypes())
        .excludedInstanceTypes(q.excludedTypes().isEmpty() ? null : q.excludedTypes())
        .burstablePerformance(q.burstable())
        .build();
  }

  /**
   * The one conversion of an SDK mixed instances policy, AWS's defaults filled in; null for none.
   */
  static InstancesPolicy toPolicy(MixedInstancesPolicy m) {
    if (m == null) {
      return null;
    }
    var types = new ArrayList<InstancesPolicy.TypeOverride>();
    InstancesPolicy.Requirements requirements = null;
    if (m.launchTemplate() != null) {
      for (LaunchTemplateOverrides o : m.launchTemplate().overrides()) {
        if (o.instanceRequirements() != null) {
          requirements = toRequirements(o.instanceRequirements());
        } else if (o.instanceType() != null) {
          types.add(
              new InstancesPolicy.TypeOverride(
                  o.instanceType(),
                  o.weightedCapacity() == null ? null : Integer.valueOf(o.weightedCapacity())));
        }
      }
    }
    InstancesDistribution d = m.instancesDistribution();
    return new InstancesPolicy(
        types,
        requirements,
        d == null || d.onDemandBaseCapacity() == null
            ? InstancesPolicy.DEFAULT_ON_DEMAND_BASE
            : d.onDemandBaseCapacity(),
        d == null || d.onDemandPercentageAboveBaseCapacity() == null
            ? InstancesPolicy.DEFAULT_ON_DEMAND_PERCENT
            : d.onDemandPercentageAboveBaseCapacity(),
        d == null ? null : d.spotAllocationStrategy());
  }

  private static InstancesPolicy.Requirements toRequirements(InstanceRequirements q) {
    return new InstancesPolicy.Requirements(
        q.vCpuCount() == null || q.vCpuCount().min() == null ? 0 : q.vCpuCount().min(),
        q.vCpuCount() == null ? null : q.vCpuCount().max(),
        q.memoryMiB() == null || q.memoryMiB().min() == null ? 0 : q.memoryMiB().min(),
        q.memoryMiB() == null ? null : q.memoryMiB().max(),
        q.cpuManufacturersAsStrings(),
        q.allowedInstanceTypes(),
        q.excludedInstanceTypes(),
        q.burstablePerformanceAsString());
  }
}
