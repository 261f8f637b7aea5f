package io.scalableapp.operator.status;

import io.scalableapp.operator.cloud.CloudException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The spec field an AWS refusal points at, so that a value only AWS can check (a subnet, image,
 * instance profile, security group or key pair that does not exist, an instance type AWS does not
 * offer) is reported on the field the user must fix, next to AWS's own message. Read from AWS's
 * error code, its message and the call that failed; empty when AWS's answer names no field.
 */
final class AwsErrorField {
  private record Rule(String field, Predicate<CloudException> matches) {}

  private static final String INSTANCE_TYPE = "spec.instanceType";

  private static final List<String> LOAD_BALANCER_CALLS =
      List.of("CreateLoadBalancer", "SetSubnets", "SetSecurityGroups");

  private static final List<Rule> RULES =
      List.of(
          // Reading the SSM parameter imageId names (missing, or the role may not read it).
          new Rule("spec.imageId", e -> "GetParameters".equals(e.operation())),
          // A listener's certificate (not in ACM, not issued, another region) or SSL policy.
          new Rule(
              "spec.loadBalancer.https.certificateArns",
              e -> code(e).contains("certificate") || message(e).contains("certificate")),
          new Rule(
              "spec.loadBalancer.https.sslPolicy",
              e -> code(e).contains("sslpolicy") || message(e).contains("ssl policy")),
          new Rule(
              "spec.loadBalancer.subnetIds",
              e ->
                  loadBalancerCall(e)
                      && (code(e).contains("subnet") || message(e).contains("subnet"))),
          new Rule(
              "spec.loadBalancer.securityGroupIds",
              e ->
                  loadBalancerCall(e)
                      && (code(e).contains("securitygroup")
                          || message(e).contains("security group"))),
          new Rule(
              "spec.subnetIds",
              e -> code(e).startsWith("invalidsubnet") || message(e).contains("subnet id")),
          new Rule(
              "spec.imageId",
              e -> code(e).startsWith("invalidamiid") || message(e).contains("image id")),
          new Rule(
              "spec.instanceProfile",
              e ->
                  message(e).contains("iaminstanceprofile")
                      || message(e).contains("instance profile")),
          new Rule(
              "spec.securityGroupIds",
              e -> code(e).startsWith("invalidgroup") || message(e).contains("security group")),
          new Rule(
              "spec.keyName",
              e -> code(e).startsWith("invalidkeypair") || message(e).contains("key pair")),
          new Rule(
              INSTANCE_TYPE,
              e -> code(e).contains("instancetype") || message(e).contains("instance type")));

  private AwsErrorField() {}

  static Optional<String> of(CloudException e) {
    return of(e, false);
  }

  /**
   * @param mixedInstances spec.instances chooses the types: an instance type AWS refuses is one of
   *     those, not spec.instanceType
   */
  static Optional<String> of(CloudException e, boolean mixedInstances) {
    return RULES.stream()
        .filter(r -> r.matches().test(e))
        .map(Rule::field)
        .map(f -> mixedInstances && f.equals(INSTANCE_TYPE) ? "spec.instances" : f)
        .findFirst();
  }

  private static boolean loadBalancerCall(CloudException e) {
    return LOAD_BALANCER_CALLS.contains(e.operation());
  }

  private static String code(CloudException e) {
    return e.code() == null ? "" : e.code().toLowerCase(Locale.ROOT);
  }

  private static String message(CloudException e) {
    return e.awsMessage() == null ? "" : e.awsMessage().toLowerCase(Locale.ROOT);
  }
}
