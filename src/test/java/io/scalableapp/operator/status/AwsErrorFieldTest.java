package io.scalableapp.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AWS's refusals, as AWS words them, and the spec field each points at. */
class AwsErrorFieldTest {
  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "DescribeSubnets",
            "InvalidSubnetID.NotFound",
            "The subnet ID 'subnet-0123456789abcdef0' does not exist",
            "spec.subnetIds"),
        Arguments.of(
            "CreateLoadBalancer",
            "SubnetNotFound",
            "The specified subnet does not exist.",
            "spec.loadBalancer.subnetIds"),
        Arguments.of(
            "CreateLoadBalancer",
            "InvalidSecurityGroup",
            "One or more security groups are invalid",
            "spec.loadBalancer.securityGroupIds"),
        Arguments.of(
            "CreateAutoScalingGroup",
            "ValidationError",
            "You must use a valid fully-formed launch template. The image id '[ami-1]' does not"
                + " exist",
            "spec.imageId"),
        Arguments.of(
            "CreateAutoScalingGroup",
            "ValidationError",
            "You must use a valid fully-formed launch template. Value (x) for parameter"
                + " iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name",
            "spec.instanceProfile"),
        Arguments.of(
            "CreateAutoScalingGroup",
            "ValidationError",
            "You must use a valid fully-formed launch template. The security group 'sg-1' does"
                + " not exist in VPC 'vpc-1'",
            "spec.securityGroupIds"),
        Arguments.of(
            "CreateAutoScalingGroup",
            "ValidationError",
            "You must use a valid fully-formed launch template. The key pair 'ops' does not"
                + " exist",
            "spec.keyName"),
        Arguments.of(
            "CreateAutoScalingGroup",
            "ValidationError",
            "The instance type 't3.mega' is not supported in this region",
            "spec.instanceType"),
        Arguments.of(
            "GetParameters",
            "ParameterNotFound",
            "SSM has no parameter /golden in us-east-1 (GetParameters lists it among"
                + " InvalidParameters)",
            "spec.imageId"),
        Arguments.of(
            "GetParameters",
            "AccessDeniedException",
            "User: arn:aws:sts::1:assumed-role/op is not authorized to perform:"
                + " ssm:GetParameters on resource: arn:aws:ssm:us-east-1:1:parameter/golden",
            "spec.imageId"),
        Arguments.of(
            "CreateListener",
            "CertificateNotFound",
            "Certificate 'arn:aws:acm:us-east-1:1:certificate/x' not found",
            "spec.loadBalancer.https.certificateArns"),
        Arguments.of(
            "ModifyListener",
            "UnsupportedCertificate",
            "The certificate 'arn:aws:acm:us-east-1:1:certificate/x' must have a fully-qualified"
                + " domain name, a supported signature, and a supported key size.",
            "spec.loadBalancer.https.certificateArns"),
        Arguments.of(
            "ModifyListener",
            "SSLPolicyNotFound",
            "SSL policy 'ELBSecurityPolicy-Old' not found",
            "spec.loadBalancer.https.sslPolicy"),
        Arguments.of("CreateTargetGroup", "TooManyTargetGroups", "limit reached", null));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("refusals")
  void pointsAtTheFieldAwsNames(String operation, String code, String message, String field) {
    var e = new CloudException(Kind.INVALID_REQUEST, code, message, operation, null);
    assertThat(AwsErrorField.of(e)).isEqualTo(Optional.ofNullable(field));
  }
}
