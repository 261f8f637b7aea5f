package io.scalableapp.operator.cloud.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Keeps the operator under AWS's published request-token refill rates on its own, per region (one
 * instance per region's clients): EC2 5 mutating and 20 read calls per second, ELBv2 3 and 10; Auto
 * Scaling publishes none, so it gets EC2's. A call waits for a token instead of being throttled by
 * AWS (which would cost a retry and slow every other app).
 */
final class AwsRateLimits implements ExecutionInterceptor {
  /** Calls per second: {mutating, read}. */
  static final Map<String, double[]> RATES =
      Map.of(
          "Ec2", new double[] {5, 20},
          "ElasticLoadBalancingV2", new double[] {3, 10},
          "AutoScaling", new double[] {5, 20});

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    double[] rates = RATES.get(service);
    if (rates == null || operation == null) {
      return;
    }
    boolean read = isRead(operation);
    buckets
        .computeIfAbsent(
            service + (read ? ":read" : ":mutate"),
            k -> new TokenBucket(read ? rates[1] : rates[0], System::nanoTime))
        .acquire();
  }

  static boolean isRead(String operation) {
    return operation.startsWith("Describe")
        || operation.startsWith("List")
        || operation.startsWith("Get");
  }

  /** A token bucket holding at most one second's worth of tokens. Thread-safe. */
  static final class TokenBucket {
    private final double perSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, LongSupplier nanoTime) {
      this.perSecond = perSecond;
      this.nanoTime = nanoTime;
      this.tokens = perSecond;
      this.last = nanoTime.getAsLong();
    }

    /** Takes a token, waiting as long as needed. */
    void acquire() {
      long wait;
      while ((wait = tryAcquire()) > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Takes a token and returns 0, or returns the nanoseconds until one is there. */
    synchronized long tryAcquire() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1e9);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }
  }
}
