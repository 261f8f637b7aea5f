package io.scalableapp.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.sandbox.CrdValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's rules, checked the way a real API server applies them (CrdValidator, which the
 * sandbox's embedded API also applies): the openAPIV3Schema as JSON Schema, and every
 * x-kubernetes-validations CEL rule evaluated at its location. The same table then goes through
 * SpecValidator, which must accept exactly the same manifests (the operator re-checks everything,
 * since a CRD can be installed without its rules).
 */
class CrdValidationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Every spec field set, with ids that match the AWS id patterns. */
  static final String FULL =
      """
      apiVersion: scalableapp.io/v1alpha1
      kind: ScalableApp
      metadata:
        name: employee-directory
        namespace: hr
      spec:
        region: us-east-1
        instanceType: t3.micro
        imageId: ami-0123456789abcdef0
        userData: |
          #!/bin/bash -ex
          cd /opt/employee-directory && python3 application.py
        environment:
          PHOTOS_BUCKET: employee-photo-bucket
          DEFAULT_AWS_REGION: us-east-1
        instanceProfile: employee-directory-role
        securityGroupIds: [sg-0123abcd]
        keyName: ops
        rootVolume: {sizeGiB: 20, type: gp3, deviceName: /dev/xvda}
        subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
        capacity: {min: 2, max: 6, desired: 2}
        scaling: {targetCpuUtilization: 50, estimatedWarmupSeconds: 300, disableScaleIn: false}
        warmPool: {minSize: 1, maxGroupPreparedCapacity: 4, poolState: Stopped, reuseOnScaleIn: true}
        targetGroup:
          port: 80
          protocol: HTTP
          deregistrationDelaySeconds: 30
          slowStartSeconds: 60
          healthCheck:
            path: /
            intervalSeconds: 30
            timeoutSeconds: 5
            healthyThreshold: 5
            unhealthyThreshold: 2
            matcher: "200"
        loadBalancer:
          scheme: internet-facing
          subnetIds: [subnet-89abcdef, subnet-0fedcba9]
          securityGroupIds: [sg-0123456789abcdef0]
          listenerPort: 80
          https:
            certificateArns:
              - arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
            sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
            port: 443
            redirectHttp: true
        rollout:
          minHealthyPercentage: 90
          maxHealthyPercentage: 100
          instanceWarmupSeconds: 300
          skipMatching: true
          autoRollback: true
          followImageParameter: true
        lifecycle:
          drainSeconds: 60
          launchTimeoutSeconds: 600
        tags: {team: hr}
        deletionPolicy: Delete
        paused: false
      status:
        observedGeneration: 3
        phase: Ready
        replicas: 2
        desiredCapacity: 2
        appliedDesiredCapacity: 2
        launchTemplate: {id: lt-0123456789abcdef0, name: hr-employee-directory, version: 4}
        autoScalingGroup: {name: hr-employee-directory, arn: "arn:aws:autoscaling:us-east-1:1"}
        targetGroup: {arn: "arn:aws:elasticloadbalancing:us-east-1:1", healthyTargets: 2}
        loadBalancer: {arn: "arn:aws:elasticloadbalancing:us-east-1:2", dnsName: lb.example}
        plannedActions: []
        conditions:
          - type: Ready
            status: "True"
            reason: Ready
            message: all resources match the spec
            lastTransitionTime: "2025-01-01T00:00:00Z"
            observedGeneration: 3
      """;

  /** FULL with several weighted types, Spot and capacity rebalancing instead of instanceType. */
  static final String MIXED_TYPES_PATCH =
      """
      spec:
        instanceType: null
        warmPool: null
        instances:
          types: [{type: t3.micro, weight: 1}, {type: t3a.micro, weight: 1}, {type: t3.small, weight: 2}]
          onDemandBaseCapacity: 1
          onDemandPercentageAboveBase: 25
          spotAllocationStrategy: price-capacity-optimized
          capacityRebalance: true
      """;

  /** FULL with attribute-based selection instead of instanceType. */
  static final String REQUIREMENTS_PATCH =
      """
      spec:
        instanceType: null
        warmPool: null
        instances:
          requirements:
            vCpu: {min: 2, max: 4}
            memoryMiB: {min: 4096, max: 16384}
            cpuArchitectures: [x86_64]
            allowedTypes: [m5.*, m6i.*, c5.*]
            burstable: false
          onDemandPercentageAboveBase: 0
      """;

  /** Only the required fields. */
  static final String MINIMAL =
      """
      apiVersion: scalableapp.io/v1alpha1
      kind: ScalableApp
      metadata:
        name: minimal
        namespace: default
      spec:
        instanceType: t3.micro
        imageId: ami-0123abcd
        subnetIds: [subnet-0123abcd]
        capacity: {min: 0, max: 1}
      """;

  /**
   * One row: a base manifest with a JSON merge patch (RFC 7386, written in YAML; null removes a
   * field) applied. A bad row breaks exactly one rule, and {@code field} must appear in every error
   * either side reports, so a row cannot pass by failing for some other reason.
   */
  record Case(String name, String base, String patch, boolean valid, String field) {
    static Case valid(String name, String base) {
      return valid(name, base, null);
    }

    static Case valid(String name, String base, String patch) {
      return new Case(name, base, patch, true, null);
    }

    static Case bad(String name, String base, String patch, String field) {
      return new Case(name, base, patch, false, field);
    }

    JsonNode manifest() throws IOException {
      JsonNode doc = YAML.readTree(base);
      return patch == null ? doc : mergePatch(doc, YAML.readTree(patch));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        Case.valid("valid full", FULL),
        Case.valid("valid minimal", MINIMAL),
        Case.bad("min > max", MINIMAL, "spec: {capacity: {min: 3, max: 2}}", "capacity"),
        Case.bad("desired below min", FULL, "spec: {capacity: {desired: 1}}", "capacity"),
        Case.bad("desired above max", FULL, "spec: {capacity: {desired: 7}}", "capacity"),
        Case.bad(
            "loadBalancer without targetGroup", FULL, "spec: {targetGroup: null}", "loadBalancer"),
        Case.bad("bad AMI id", FULL, "spec: {imageId: ami-12345}", "imageId"),
        Case.bad(
            "drain shorter than AWS allows",
            FULL,
            "spec: {lifecycle: {drainSeconds: 10}}",
            "drainSeconds"),
        Case.bad(
            "launch wait longer than AWS allows",
            FULL,
            "spec: {lifecycle: {launchTimeoutSeconds: 9000}}",
            "launchTimeoutSeconds"),
        Case.bad(
            "HTTPS on the HTTP listener's port",
            FULL,
            "spec: {loadBalancer: {https: {port: 80}}}",
            "https.port"),
        Case.bad(
            "HTTPS on the default HTTP port",
            FULL,
            "spec: {loadBalancer: {listenerPort: null, https: {port: 80}}}",
            "https.port"),
        Case.bad(
            "certificate that is not an ACM ARN",
            FULL,
            "spec: {loadBalancer: {https: {certificateArns: [my-cert]}}}",
            "certificateArns"),
        Case.bad(
            "certificate listed twice",
            FULL,
            "spec: {loadBalancer: {https: {certificateArns: ["
                + "'arn:aws:acm:us-east-1:123456789012:certificate/a1',"
                + " 'arn:aws:acm:us-east-1:123456789012:certificate/a1']}}}",
            "certificateArns"),
        Case.bad(
            "HTTPS without certificates",
            FULL,
            "spec: {loadBalancer: {https: {certificateArns: []}}}",
            "certificateArns"),
        Case.bad(
            "SSL policy that is not an ELB policy",
            FULL,
            "spec: {loadBalancer: {https: {sslPolicy: TLS-1.3}}}",
            "sslPolicy"),
        Case.valid(
            "image from AWS's public SSM parameter",
            FULL,
            "spec: {imageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/"
                + "al2023-ami-kernel-default-x86_64'}"),
        Case.valid(
            "image from a version of an SSM parameter",
            FULL,
            "spec: {imageId: 'resolve:ssm:golden-ami:3'}"),
        Case.bad(
            "SSM parameter with a space",
            FULL,
            "spec: {imageId: 'resolve:ssm:/my images/web'}",
            "imageId"),
        Case.bad(
            "SSM prefix without a parameter", FULL, "spec: {imageId: 'resolve:ssm:'}", "imageId"),
        Case.bad(
            "bad subnet id",
            FULL,
            "spec: {subnetIds: [subnet-0123456789abcdef0, subnet-a]}",
            "subnetIds"),
        Case.bad("empty subnetIds", MINIMAL, "spec: {subnetIds: []}", "subnetIds"),
        Case.bad(
            "bad security group id", FULL, "spec: {securityGroupIds: [sg-1]}", "securityGroupIds"),
        Case.bad("negative min", MINIMAL, "spec: {capacity: {min: -1}}", "capacity.min"),
        Case.bad(
            "cpu target 0",
            FULL,
            "spec: {scaling: {targetCpuUtilization: 0}}",
            "targetCpuUtilization"),
        Case.bad(
            "cpu target 101",
            FULL,
            "spec: {scaling: {targetCpuUtilization: 101}}",
            "targetCpuUtilization"),
        Case.bad(
            "health check timeout >= interval",
            FULL,
            "spec: {targetGroup: {healthCheck: {intervalSeconds: 10, timeoutSeconds: 10}}}",
            "healthCheck"),
        Case.bad(
            "bad health check matcher",
            FULL,
            "spec: {targetGroup: {healthCheck: {matcher: 2xx}}}",
            "matcher"),
        Case.bad(
            "env var name with a dash",
            FULL,
            "spec: {environment: {PHOTOS-BUCKET: photos}}",
            "environment"),
        Case.bad(
            "reserved tag prefix aws:",
            FULL,
            "spec: {tags: {\"aws:cloudformation:stack-name\": web}}",
            "tags"),
        Case.bad(
            "rollout max - min > 100",
            FULL,
            "spec: {rollout: {minHealthyPercentage: 50, maxHealthyPercentage: 200}}",
            "rollout"),
        Case.bad("bad region", FULL, "spec: {region: us-east}", "region"),
        Case.bad("bad instanceType", FULL, "spec: {instanceType: t3micro}", "instanceType"),
        Case.bad("missing instanceType", FULL, "spec: {instanceType: null}", "instanceType"),
        Case.bad(
            "unknown deletionPolicy", FULL, "spec: {deletionPolicy: Orphan}", "deletionPolicy"),
        Case.bad(
            "load balancer scheme not in enum",
            FULL,
            "spec: {loadBalancer: {scheme: public}}",
            "scheme"),
        Case.bad(
            "rollout with no room: min and max healthy both 100",
            FULL,
            "spec: {rollout: {minHealthyPercentage: 100, maxHealthyPercentage: 100}}",
            "rollout"),
        Case.bad(
            "environment with user data that is not a shell script",
            FULL,
            "spec: {userData: '#cloud-config', environment: {A: b}}",
            "environment"),
        Case.bad(
            "health check interval alone below the default timeout",
            FULL,
            "spec: {targetGroup: {healthCheck: {intervalSeconds: 5, timeoutSeconds: null}}}",
            "healthCheck"),
        // More of the CRD's rules, one row each: the ones a user is likely to trip over next.
        Case.valid(
            "valid with instance profile ARN and GovCloud region",
            FULL,
            "spec: {region: us-gov-west-1,"
                + " instanceProfile: 'arn:aws-us-gov:iam::123456789012:instance-profile/app'}"),
        Case.bad(
            "reserved tag prefix scalableapp.io/",
            FULL,
            "spec: {tags: {scalableapp.io/owner: other/app}}",
            "tags"),
        Case.bad("41 tags", FULL, "spec: {tags: {" + manyTags(41) + "}}", "tags"),
        Case.bad("empty keyName", FULL, "spec: {keyName: ''}", "keyName"),
        Case.bad(
            "load balancer in one subnet",
            FULL,
            "spec: {loadBalancer: {subnetIds: [subnet-89abcdef]}}",
            "loadBalancer.subnetIds"),
        Case.bad(
            "bad load balancer subnet id",
            FULL,
            "spec: {loadBalancer: {subnetIds: [subnet-89abcdef, subnet-x]}}",
            "loadBalancer.subnetIds"),
        Case.bad(
            "bad load balancer security group id",
            FULL,
            "spec: {loadBalancer: {securityGroupIds: [sg-x]}}",
            "loadBalancer.securityGroupIds"),
        Case.bad(
            "health check path without leading slash",
            FULL,
            "spec: {targetGroup: {healthCheck: {path: health}}}",
            "healthCheck.path"),
        Case.bad("capacity without min", FULL, "spec: {capacity: {min: null}}", "capacity"),
        Case.bad(
            "scaling without targetCpuUtilization",
            FULL,
            "spec: {scaling: {targetCpuUtilization: null}}",
            "scaling"),
        Case.bad(
            "root volume without size", FULL, "spec: {rootVolume: {sizeGiB: null}}", "rootVolume"),
        Case.bad(
            "unknown root volume type", FULL, "spec: {rootVolume: {type: gp4}}", "rootVolume.type"),
        Case.valid(
            "deregistration delay 0 and slow start 30",
            FULL,
            "spec: {targetGroup: {deregistrationDelaySeconds: 0, slowStartSeconds: 30}}"),
        Case.bad(
            "deregistration delay over an hour",
            FULL,
            "spec: {targetGroup: {deregistrationDelaySeconds: 3601}}",
            "deregistrationDelaySeconds"),
        Case.bad(
            "slow start under 30 s but not off",
            FULL,
            "spec: {targetGroup: {slowStartSeconds: 10}}",
            "slowStartSeconds"),
        Case.bad(
            "unknown target group protocol",
            FULL,
            "spec: {targetGroup: {protocol: TCP}}",
            "protocol"),
        // Mixed instances (spec.instances).
        Case.valid("valid weighted types with Spot", FULL, MIXED_TYPES_PATCH),
        Case.valid("valid attribute-based selection", FULL, REQUIREMENTS_PATCH),
        Case.valid(
            "valid attribute-based selection excluding types",
            FULL,
            REQUIREMENTS_PATCH.replace("allowedTypes", "excludedTypes")),
        Case.valid(
            "valid Spot split over instanceType",
            FULL,
            "spec: {warmPool: null,"
                + " instances: {onDemandBaseCapacity: 1, onDemandPercentageAboveBase: 0}}"),
        Case.bad(
            "instanceType and instances.types",
            FULL,
            "spec: {warmPool: null, instances: {types: [{type: t3.micro}]}}",
            "instanceType"),
        Case.bad(
            "neither instanceType nor instances.types",
            FULL,
            "spec: {instanceType: null, warmPool: null, instances: {onDemandBaseCapacity: 1}}",
            "instanceType"),
        Case.bad(
            "types and requirements",
            FULL,
            MIXED_TYPES_PATCH + "    requirements: {vCpu: {min: 2}, memoryMiB: {min: 2048}}\n",
            "types or requirements"),
        Case.bad(
            "weights on some types only",
            FULL,
            "spec: {instanceType: null, warmPool: null, instances: {types: [{type: t3.micro, weight: 1},"
                + " {type: t3a.micro}]}}",
            "weight"),
        Case.bad(
            "more On-Demand base than max",
            FULL,
            MIXED_TYPES_PATCH.replace("onDemandBaseCapacity: 1", "onDemandBaseCapacity: 7"),
            "onDemandBaseCapacity"),
        Case.bad(
            "unknown Spot allocation strategy",
            FULL,
            MIXED_TYPES_PATCH.replace("price-capacity-optimized", "cheapest"),
            "spotAllocationStrategy"),
        Case.bad(
            "allowed and excluded types",
            FULL,
            REQUIREMENTS_PATCH.replace(
                "burstable: false", "burstable: false\n      excludedTypes: [t2.*]"),
            "allowedTypes"),
        Case.bad(
            "unknown CPU architecture",
            FULL,
            REQUIREMENTS_PATCH.replace("[x86_64]", "[sparc]"),
            "cpuArchitectures"),
        Case.bad(
            "a warm pool with a mixed instances policy",
            FULL,
            "spec: {instances: {onDemandPercentageAboveBase: 50}}",
            "warmPool"),
        Case.bad(
            "a warm pool larger than max",
            FULL,
            "spec: {warmPool: {minSize: 7, maxGroupPreparedCapacity: null}}",
            "warmPool.minSize"),
        Case.bad(
            "warm pool minSize above its maxGroupPreparedCapacity",
            FULL,
            "spec: {warmPool: {minSize: 5}}",
            "maxGroupPreparedCapacity"),
        Case.bad(
            "unknown warm pool state", FULL, "spec: {warmPool: {poolState: Frozen}}", "poolState"),
        Case.bad(
            "vCPU min above max",
            FULL,
            REQUIREMENTS_PATCH.replace("{min: 2, max: 4}", "{min: 8, max: 4}"),
            "vCpu"));
  }

  /** A flow-mapping body of n distinct tags. */
  private static String manyTags(int n) {
    return IntStream.range(0, n).mapToObj(i -> "t" + i + ": v").collect(Collectors.joining(", "));
  }

  private static JsonNode openApiSchema;
  private static CrdValidator validator;

  @BeforeAll
  static void loadCrd() throws IOException {
    JsonNode crd = CrdIsCurrentTest.generatedCrd();
    openApiSchema = CrdIsCurrentTest.version(crd).path("schema").path("openAPIV3Schema");
    validator = CrdValidator.of(crd);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void crdSchemaAndCelRulesDecide(Case c) throws IOException {
    List<String> errors = crdErrors(c.manifest());
    if (c.valid()) {
      assertThat(errors).as("CRD errors for a valid manifest").isEmpty();
    } else {
      assertThat(errors)
          .as("the CRD must reject this manifest, for %s only", c.field())
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e).contains(c.field()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void specValidatorAgreesWithTheCrd(Case c) throws IOException {
    List<String> problems = operatorProblems(c.manifest());
    if (c.valid()) {
      assertThat(problems).as("SpecValidator problems for a valid manifest").isEmpty();
    } else {
      assertThat(problems)
          .as("SpecValidator must reject what the CRD rejects, for %s only", c.field())
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e).contains(c.field()));
    }
  }

  @Test
  void fullManifestSetsEveryField() throws IOException {
    // Otherwise a new field would be missing from the "valid full" row and go untested.
    // Exclusive fields (instanceType, instances.types, instances.requirements) cannot all be in one
    // manifest: a field counts as covered when FULL or one of its valid variants sets it.
    List<String> unset = null;
    for (String patch :
        List.of(
            "{}",
            MIXED_TYPES_PATCH,
            REQUIREMENTS_PATCH,
            REQUIREMENTS_PATCH.replace("allowedTypes", "excludedTypes"))) {
      List<String> missing = new ArrayList<>();
      collectUnset(
          "spec",
          openApiSchema.path("properties").path("spec"),
          Case.valid("", FULL, patch).manifest().get("spec"),
          missing);
      if (unset == null) {
        unset = missing;
      } else {
        unset.retainAll(missing);
      }
    }
    assertThat(unset).as("spec fields the FULL manifest and its variants leave unset").isEmpty();
  }

  @Test
  void regionAndLoadBalancerSchemeCannotChangeOnAnUpdate() throws IOException {
    JsonNode old = YAML.readTree(FULL);
    assertThat(crdErrors(Case.valid("", FULL, "spec: {region: us-west-2}").manifest(), old))
        .singleElement()
        .asString()
        .startsWith("spec.region: Invalid value: \"string\": ")
        .contains("region cannot change");
    assertThat(
            crdErrors(
                Case.valid("", FULL, "spec: {loadBalancer: {scheme: internal}}").manifest(), old))
        .singleElement()
        .asString()
        .startsWith("spec.loadBalancer.scheme: ");
    assertThat(crdErrors(Case.valid("", FULL, "spec: {capacity: {max: 5}}").manifest(), old))
        .as("other changes go through")
        .isEmpty();
    assertThat(crdErrors(old, old)).isEmpty();
    // A load balancer removed and added back may get another scheme: no old value to compare.
    JsonNode withoutLb = Case.valid("", FULL, "spec: {loadBalancer: null}").manifest();
    assertThat(
            crdErrors(
                Case.valid("", FULL, "spec: {loadBalancer: {scheme: internal}}").manifest(),
                withoutLb))
        .isEmpty();
  }

  @Test
  void everyCelRuleCompiles() {
    // A rule that does not compile is rejected by the API server when the CRD is applied.
    assertThat(validator.rules()).hasSizeGreaterThan(20);
  }

  // --- the CRD as an API server applies it

  /** Schema errors and failed CEL rules, in the API server's words (each names its field). */
  static List<String> crdErrors(JsonNode manifest) {
    return crdErrors(manifest, null);
  }

  /** On an update from {@code old}: transition rules (those naming oldSelf) run too. */
  static List<String> crdErrors(JsonNode manifest, JsonNode old) {
    // Without the notice that the rules did not run after a schema error: it names no field.
    return validator.validate(manifest, old).stream()
        .filter(e -> !e.field().equals("<nil>"))
        .map(Object::toString)
        .toList();
  }

  // --- the operator's own check

  /** SpecValidator's problems with the manifest's spec, read as the operator reads it. */
  static List<String> operatorProblems(JsonNode manifest) throws JsonProcessingException {
    ScalableAppSpec spec;
    try {
      spec = Serialization.jsonMapper().treeToValue(manifest.get("spec"), ScalableAppSpec.class);
    } catch (JsonMappingException e) {
      // The operator reads resources with this same mapper: a spec it cannot read would fail in
      // the informer instead of being reported as InvalidSpec on this app. Enums are therefore
      // Strings in Java (with the enum's schema), so every row must be readable.
      throw new AssertionError("the operator cannot read this spec: " + e.getOriginalMessage(), e);
    }
    return SpecValidator.validate(spec);
  }

  // --- helpers

  /** RFC 7386 JSON merge patch: objects merge, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject() ? target.deepCopy() : YAML.createObjectNode();
    patch
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNull()) {
                result.remove(f.getKey());
              } else {
                result.set(f.getKey(), mergePatch(result.get(f.getKey()), f.getValue()));
              }
            });
    return result;
  }

  private static void collectUnset(String path, JsonNode schema, JsonNode value, List<String> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String child = path + "." + p.getKey();
              JsonNode v = value == null ? null : value.get(p.getKey());
              if (v == null || v.isNull() || (v.isContainerNode() && v.isEmpty())) {
                out.add(child);
              } else {
                collectUnset(child, p.getValue(), v, out);
              }
            });
  }
}
