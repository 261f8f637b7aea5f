package io.scalableapp.operator.cloud.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Keeps the operator within a share of AWS's API request rates, per region (one instance per
 * region's clients), and slows it down when AWS throttles anyway.
 *
 * <p>The rates assumed, in calls per second (AWS's published request-token refill rates): EC2 5
 * mutating and 20 read calls (non-mutating actions); ELBv2 3 and 10. Auto Scaling publishes none:
 * it gets EC2's, the rates its console and CLI guidance suggests staying under. SSM: GetParameters
 * 40 (its default throughput quota, shared with GetParameter and GetParametersByPath), and 3
 * mutating (PutParameter's; the operator makes none). The quota is per account and region and
 * shared with every other tool (the console, Terraform, CI), so the operator takes only {@code
 * share} of each (AWS_API_SHARE, default 0.5). A call waits for a token instead of being throttled
 * by AWS.
 *
 * <p>Throttling answers mean other tools spend the same quota: the bucket's rate halves (down to a
 * tenth of its share) each time AWS throttles, and grows back by a tenth of its share per second
 * without throttling.
 */
final class AwsRateLimits implements ExecutionInterceptor {
  /** Calls per second AWS allows an account in a region: {mutating, read}. */
  static final Map<String, double[]> RATES =
      Map.of(
          "Ec2", new double[] {5, 20},
          "ElasticLoadBalancingV2", new double[] {3, 10},
          "AutoScaling", new double[] {5, 20},
          "Ssm", new double[] {3, 40});

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final double share;
  private final LongSupplier nanoTime;

  AwsRateLimits(double share) {
    this(share, System::nanoTime);
  }

  AwsRateLimits(double share, LongSupplier nanoTime) {
    this.share = share;
    this.nanoTime = nanoTime;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    TokenBucket bucket = bucket(attributes);
    if (bucket != null) {
      bucket.acquire();
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    if (context.exception() instanceof AwsServiceException e && e.isThrottlingException()) {
      TokenBucket bucket = bucket(attributes);
      if (bucket != null) {
        bucket.throttled();
      }
    }
  }

  /** The bucket of the call's service and kind (read or mutating); null for unknown services. */
  TokenBucket bucket(ExecutionAttributes attributes) {
    return bucket(
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  TokenBucket bucket(String service, String operation) {
    double[] rates = RATES.get(service);
    if (rates == null || operation == null) {
      return null;
    }
    boolean read = isRead(operation);
    return buckets.computeIfAbsent(
        service + (read ? ":read" : ":mutate"),
        k -> new TokenBucket((read ? rates[1] : rates[0]) * share, nanoTime));
  }

  static boolean isRead(String operation) {
    return operation.startsWith("Describe")
        || operation.startsWith("List")
        || operation.startsWith("Get");
  }

  /**
   * A token bucket holding at most one second's worth of tokens, whose rate halves on throttling
   * and recovers additively. Thread-safe.
   */
  static final class TokenBucket {
    static final double FLOOR = 0.1;
    static final double RECOVERY_PER_SECOND = 0.1;
    private final double share;
    private final LongSupplier nanoTime;
    private double perSecond;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, LongSupplier nanoTime) {
      this.share = perSecond;
      this.perSecond = perSecond;
      this.nanoTime = nanoTime;
      this.tokens = Math.max(1, perSecond);
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
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    /** AWS throttled a call: halve the rate, never below a tenth of the share. */
    synchronized void throttled() {
      refill();
      perSecond = Math.max(share * FLOOR, perSecond / 2);
      tokens = Math.min(tokens, capacity());
    }

    /** One second's worth, and at least one call (a rate below one a second still passes). */
    private double capacity() {
      return Math.max(1, perSecond);
    }

    /** The rate now, in calls per second. */
    synchronized double rate() {
      refill();
      return perSecond;
    }

    private void refill() {
      long now = nanoTime.getAsLong();
      double seconds = (now - last) / 1e9;
      last = now;
      perSecond = Math.min(share, perSecond + share * RECOVERY_PER_SECOND * seconds);
      tokens = Math.min(capacity(), tokens + seconds * perSecond);
    }
  }
}
