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
}
