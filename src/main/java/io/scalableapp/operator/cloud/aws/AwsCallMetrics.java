package io.scalableapp.operator.cloud.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts every AWS API call by service, operation and outcome (success, or AWS's error code),
 * throttled calls apart (the operator must stay under AWS's refill rates on its own), and times
 * each call, retries and the rate limiter's wait included, as a histogram by service and operation.
 * No label names an app: the cardinality stays that of AWS's API.
 */
final class AwsCallMetrics implements ExecutionInterceptor {
  private static final ExecutionAttribute<Long> STARTED =
      new ExecutionAttribute<>("scalableapp.started");

  private final MeterRegistry registry;

  AwsCallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    attributes.putAttribute(STARTED, System.nanoTime());
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
            .tag("service", service(attributes))
            .tag("operation", operation(attributes))
            .register(registry)
            .increment();
      }
    }
    count(attributes, outcome);
  }

  private void count(ExecutionAttributes attributes, String outcome) {
    Counter.builder("scalableapp_aws_calls_total")
        .description("AWS API calls by service, operation and outcome")
        .tag("service", service(attributes))
        .tag("operation", operation(attributes))
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Long started = attributes.getAttribute(STARTED);
    if (started != null) {
      Timer.builder("scalableapp_aws_call_duration")
          .description(
              "AWS API call latency by service and operation, the SDK's retries and the"
                  + " operator's rate limiting included")
          .tag("service", service(attributes))
          .tag("operation", operation(attributes))
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(5))
          .maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry)
          .record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private static String service(ExecutionAttributes attributes) {
    return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
  }

  private static String operation(ExecutionAttributes attributes) {
    return String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }
}
