package io.scalableapp.operator.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AwsRateLimitsTest {
  @Test
  void bucketAllowsOneSecondsBurstThenTheRefillRate() {
    var now = new AtomicLong();
    var bucket = new AwsRateLimits.TokenBucket(5, now::get);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire()).as("burst call %d", i).isZero();
    }
    assertThat(bucket.tryAcquire())
        .as("sixth call waits a fifth of a second")
        .isEqualTo(200_000_000L);

    now.addAndGet(200_000_000L);
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).isPositive();

    now.addAndGet(10_000_000_000L); // idle for 10 s: still only one second's worth
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire()).isZero();
    }
    assertThat(bucket.tryAcquire()).isPositive();
  }

  @Test
  void readsAndMutationsAreToldApart() {
    assertThat(AwsRateLimits.isRead("DescribeAutoScalingGroups")).isTrue();
    assertThat(AwsRateLimits.isRead("CreateLaunchTemplateVersion")).isFalse();
    assertThat(AwsRateLimits.isRead("StartInstanceRefresh")).isFalse();
    assertThat(AwsRateLimits.RATES.get("ElasticLoadBalancingV2")).containsExactly(3, 10);
    assertThat(AwsRateLimits.RATES.get("Ec2")).containsExactly(5, 20);
  }

  @Test
  void theOperatorTakesItsShareOfAwsRatesPerServiceAndKind() {
    var now = new AtomicLong();
    var limits = new AwsRateLimits(0.5, now::get);

    assertThat(limits.bucket("ElasticLoadBalancingV2", "DescribeTargetGroups").rate()).isEqualTo(5);
    assertThat(limits.bucket("ElasticLoadBalancingV2", "CreateListener").rate()).isEqualTo(1.5);
    assertThat(limits.bucket("Ec2", "DescribeLaunchTemplates").rate()).isEqualTo(10);
    assertThat(limits.bucket("AutoScaling", "UpdateAutoScalingGroup").rate()).isEqualTo(2.5);
    assertThat(limits.bucket("Ec2", "DescribeLaunchTemplates"))
        .as("one bucket per service and kind")
        .isSameAs(limits.bucket("Ec2", "DescribeSubnets"));
    assertThat(limits.bucket("Sts", "GetCallerIdentity")).as("no limit assumed").isNull();
  }

  @Test
  void throttlingHalvesTheRateDownToATenthAndItRecoversWhenThrottlingStops() {
    var now = new AtomicLong();
    var bucket = new AwsRateLimits.TokenBucket(10, now::get);

    bucket.throttled();
    assertThat(bucket.rate()).isEqualTo(5);
    for (int i = 0; i < 10; i++) {
      bucket.throttled();
    }
    assertThat(bucket.rate()).as("never below a tenth of the share").isEqualTo(1);

    now.addAndGet(2_000_000_000L); // 2 s without throttling: +10% of the share per second
    assertThat(bucket.rate()).isEqualTo(3, org.assertj.core.data.Offset.offset(1e-9));
    now.addAndGet(60_000_000_000L);
    assertThat(bucket.rate()).as("back to the share, never above").isEqualTo(10);
  }

  @Test
  void aRateBelowOneCallASecondStillLetsCallsThrough() {
    var now = new AtomicLong();
    var bucket = new AwsRateLimits.TokenBucket(0.5, now::get);
    assertThat(bucket.tryAcquire()).isZero();
    assertThat(bucket.tryAcquire()).as("the next after two seconds").isEqualTo(2_000_000_000L);
    now.addAndGet(2_000_000_000L);
    assertThat(bucket.tryAcquire()).isZero();
  }
}
