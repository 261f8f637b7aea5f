package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.InstancesSpec;
import io.scalableapp.operator.api.InstancesSpec.InstanceTypeSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.InstancesPolicy;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What only the operator can check of spec.instances (the CRD cannot know AWS's instance types),
 * and the policy it asks AWS for. The rules the CRD shares are in CrdValidationTest.
 */
class InstancesTest {
  static List<String> problems(Consumer<ScalableApp> change) {
    return SpecValidator.validate(PlanFixtures.desired(change).spec());
  }

  static Consumer<ScalableApp> types(InstanceTypeSpec... types) {
    return a -> {
      a.getSpec().instanceType = null;
      a.getSpec().instances = new InstancesSpec();
      a.getSpec().instances.types = List.of(types);
    };
  }

  @Test
  void anUnknownInstanceTypeIsInvalidWithItsPath() {
    assertThat(
            problems(
                types(
                    new InstanceTypeSpec("t3.micro", null),
                    new InstanceTypeSpec("t3.humongous", null))))
        .containsExactly(
            "spec.instances.types[1].type: 't3.humongous' is not an EC2 instance type");
    assertThat(problems(a -> a.getSpec().instanceType = "x9.large"))
        .containsExactly("spec.instanceType: 'x9.large' is not an EC2 instance type");
  }

  @Test
  void aNewSizeOfAKnownFamilyIsAccepted() {
    assertThat(InstanceTypes.known("m7i.96xlarge")).isTrue();
    assertThat(InstanceTypes.known("m7i.large")).isTrue();
    assertThat(InstanceTypes.known("m7i.gigantic")).isFalse();
    assertThat(InstanceTypes.known("zz9.large")).isFalse();
  }

  @Test
  void aTypeListedTwiceIsInvalid() {
    assertThat(
            problems(
                types(
                    new InstanceTypeSpec("t3.micro", null),
                    new InstanceTypeSpec("t3.micro", null))))
        .containsExactly("spec.instances.types[1].type: 't3.micro' is listed twice");
  }

  @Test
  void requirementsNoTypeMeetsAreInvalid() {
    assertThat(
            problems(
                a -> {
                  a.getSpec().instanceType = null;
                  a.getSpec().instances = new InstancesSpec();
                  a.getSpec().instances.requirements = new InstancesSpec.InstanceRequirementsSpec();
                  a.getSpec().instances.requirements.vCpu = new InstancesSpec.Range(2, 2);
                  a.getSpec().instances.requirements.memoryMiB =
                      new InstancesSpec.Range(1_000_000, null);
                }))
        .containsExactly(
            "spec.instances.requirements: no EC2 instance type meets these requirements");
  }

  @Test
  void requirementsBecomeAwsAttributes() {
    var d =
        PlanFixtures.desired(
            a -> {
              a.getSpec().instanceType = null;
              a.getSpec().instances = new InstancesSpec();
              var r = new InstancesSpec.InstanceRequirementsSpec();
              r.vCpu = new InstancesSpec.Range(2, 4);
              r.memoryMiB = new InstancesSpec.Range(4096, null);
              r.cpuArchitectures = List.of("arm64");
              r.excludedTypes = List.of("a1.*");
              r.burstable = true;
              a.getSpec().instances.requirements = r;
              a.getSpec().instances.onDemandPercentageAboveBase = 0;
            });
    assertThat(SpecValidator.validate(d.spec())).isEmpty();
    InstancesPolicy p = Instances.desired(d.spec());
    assertThat(p.types()).isEmpty();
    assertThat(p.requirements().cpuManufacturers()).containsExactly("amazon-web-services");
    assertThat(p.requirements().burstable()).isEqualTo("included");
    assertThat(p.usesSpot()).isTrue();
    // The launch template names no type: the requirements choose.
    assertThat(LaunchTemplatePlanner.desired(d.spec()).instanceType()).isNull();
    // What AWS would launch: Graviton types of 2 to 4 vCPUs and at least 4 GiB, no a1.
    assertThat(InstanceTypes.admitted(p.requirements()))
        .isNotEmpty()
        .allSatisfy(
            f -> {
              assertThat(f.architectures()).contains("arm64");
              assertThat(f.vcpus()).isBetween(2, 4);
              assertThat(f.memoryMiB()).isGreaterThanOrEqualTo(4096);
              assertThat(f.type()).doesNotStartWith("a1.");
            });
  }

  @Test
  void awsWildcardsMatchAsAwsDocumentsThem() {
    var r =
        new InstancesPolicy.Requirements(
            1, null, 0, null, List.of(), List.of("m5.*", "c7*"), List.of(), "included");
    assertThat(r.admits("m5.large", 2, 8192, "intel", false)).isTrue();
    assertThat(r.admits("c7g.large", 2, 4096, "amazon-web-services", false)).isTrue();
    assertThat(r.admits("m5a.large", 2, 8192, "amd", false)).isFalse();
  }

  @Test
  void theLaunchDifferencesNameWhatDecidesWhichInstancesRun() {
    var one = new InstancesPolicy.TypeOverride("t3.micro", null);
    var two = new InstancesPolicy.TypeOverride("t3a.micro", null);
    var onDemand = new InstancesPolicy(List.of(one, two), null, 0, 100, null);
    var spot = new InstancesPolicy(List.of(one, two), null, 0, 0, null);
    assertThat(InstancesPolicy.launchDifferences(onDemand, spot))
        .containsExactly("On-Demand/Spot split 0 + 100% On-Demand -> 0 + 0% On-Demand");
    // Order and AWS's default strategy differ only for future launches.
    var reordered = new InstancesPolicy(List.of(two, one), null, 0, 100, "lowest-price");
    assertThat(InstancesPolicy.launchDifferences(onDemand, reordered)).isEmpty();
    assertThat(InstancesPolicy.futureDifferences(onDemand, reordered))
        .containsExactly("instance type order or weights changed");
  }
}
