package io.scalableapp.operator.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Error codes and messages as AWS documents them for the three services, and their meaning here.
 */
class AwsErrorsTest {
  static AwsServiceException aws(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @ParameterizedTest(name = "{1} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "400|ValidationError|AutoScalingGroup name not found - AutoScalingGroup 'web' not"
            + " found|NOT_FOUND",
        "400|ValidationError|Max bound, 1, must be greater than or equal to min bound,"
            + " 2|INVALID_REQUEST",
        "400|AlreadyExists|AutoScalingGroup by this name already exists - A group with the name web"
            + " already exists|ALREADY_EXISTS",
        "400|InvalidLaunchTemplateName.AlreadyExistsException|Launch template name already in"
            + " use.|ALREADY_EXISTS",
        "400|DuplicateTargetGroupName|A target group with the same name 'web'"
            + " exists|ALREADY_EXISTS",
        "400|ResourceInUse|Target group 'arn' is currently in use by a listener or a rule|IN_USE",
        "400|ScalingActivityInProgress|You cannot delete an AutoScalingGroup while there are"
            + " scaling activities in progress|IN_USE",
        "400|InvalidSubnetID.NotFound|The subnet ID 'subnet-1' does not exist|NOT_FOUND",
        "400|InvalidAMIID.Malformed|Invalid id: ami-1|INVALID_REQUEST",
        "403|UnauthorizedOperation|You are not authorized to perform this operation.|ACCESS_DENIED",
        "403|AccessDenied|User is not authorized to perform:"
            + " autoscaling:CreateAutoScalingGroup|ACCESS_DENIED",
        "400|Throttling|Rate exceeded|TRANSIENT",
        "503|RequestLimitExceeded|Request limit exceeded.|TRANSIENT",
        "500|InternalFailure|An internal error occurred|TRANSIENT",
        "400|TargetGroupNotFound|One or more target groups not found|NOT_FOUND"
      })
  void classifies(int status, String code, String message, Kind kind) {
    CloudException e = AwsErrors.classify("Op", aws(status, code, message));
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.awsMessage()).isEqualTo(message);
    assertThat(e.getMessage()).isEqualTo("Op: " + code + ": " + message);
  }

  @org.junit.jupiter.api.Test
  void deleteTreatsNotFoundAsDoneAndRethrowsTheRest() {
    assertThatCode(
            () ->
                AwsErrors.delete(
                    "DeleteAutoScalingGroup",
                    () -> {
                      throw aws(
                          400,
                          "ValidationError",
                          "AutoScalingGroup name not found - AutoScalingGroup 'x' not found");
                    }))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                AwsErrors.delete(
                    "DeleteTargetGroup",
                    () -> {
                      throw aws(400, "ResourceInUse", "in use");
                    }))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IN_USE));
  }
}
