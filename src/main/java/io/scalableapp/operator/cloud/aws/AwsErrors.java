package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Maps AWS SDK exceptions to {@link CloudException}s, keeping AWS's code and message. */
final class AwsErrors {
  private AwsErrors() {}

  /** Runs one AWS call; every SDK failure leaves as a classified {@link CloudException}. */
  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (AwsServiceException e) {
      throw classify(operation, e);
    } catch (SdkClientException e) {
      throw new CloudException(
          Kind.TRANSIENT, "ClientError", String.valueOf(e.getMessage()), operation, e);
    }
  }

  static void run(String operation, Runnable call) {
    call(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  /** Runs a describe by name; AWS's NotFound for the name means "none" (an empty list). */
  static <T> List<T> describe(String operation, Supplier<List<T>> call) {
    try {
      return call(operation, call);
    } catch (CloudException e) {
      if (e.is(Kind.NOT_FOUND)) {
        return List.of();
      }
      throw e;
    }
  }

  /** Runs a delete; NotFound means it is already done. */
  static void delete(String operation, Runnable call) {
    try {
      run(operation, call);
    } catch (CloudException e) {
      if (!e.is(Kind.NOT_FOUND)) {
        throw e;
      }
    }
  }

  static CloudException classify(String operation, AwsServiceException e) {
    var details = e.awsErrorDetails();
    String code =
        details != null && details.errorCode() != null
            ? details.errorCode()
            : "HTTP" + e.statusCode();
    String message =
        details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage();
    return new CloudException(kindOf(code, message, e), code, message, operation, e);
  }

  static Kind kindOf(String code, String message, AwsServiceException e) {
    String c = code.toLowerCase();
    String m = message == null ? "" : message.toLowerCase();
    if (e.isThrottlingException()
        || c.contains("throttl")
        || c.contains("requestlimitexceeded")
        || e.statusCode() >= 500) {
      return Kind.TRANSIENT;
    }
    if (c.contains("accessdenied")
        || c.contains("unauthorized")
        || c.equals("authfailure")
        || e.statusCode() == 403) {
      return Kind.ACCESS_DENIED;
    }
    if (c.contains("alreadyexists") || c.contains("duplicate")) {
      return Kind.ALREADY_EXISTS;
    }
    if (c.contains("inuse")
        || c.contains("scalingactivityinprogress")
        || c.equals("instancerefreshinprogress")) {
      return Kind.IN_USE;
    }
    // Auto Scaling reports a missing group or policy as a ValidationError saying "not found".
    if (c.contains("notfound") || (c.equals("validationerror") && m.contains("not found"))) {
      return Kind.NOT_FOUND;
    }
    return Kind.INVALID_REQUEST;
  }
}
