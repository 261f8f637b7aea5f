package io.scalableapp.operator.cloud.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API call by service, operation and outcome (success, or AWS's error code), and
 * throttled calls apart: the operator must stay under AWS's refill rates on its own.
 */
final class AwsCallMetrics implements ExecutionInterceptor {
  private final MeterRegistry registry;

  AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    count(attributes, "success");
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    String outcome = "client_error";
    if (context.exception() instanceof AwsServiceException e) {
      outcome =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : "http_" + e.statusCode();
      if (e.isThrottlingException()) {
        Counter.builder("scalableapp_aws_throttled_total")
            .description("AWS API calls throttled")
            .tag("service", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
            .tag("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
            .register(registry)
            .increment();
      }
    }
    count(attributes, outcome);
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder("scalableapp_aws_calls_total")
        .description("AWS API calls by service, operation and outcome")
        .tag("service", String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)))
        .tag(
            "operation",
            String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
