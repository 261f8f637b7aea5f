package io.scalableapp.operator.cloud.aws;

/**
 * Page sizes of the region-wide listings: AWS's maximum per call, or fewer where a caller asks for
 * smaller pages (a test that spreads a few resources over several pages).
 */
final class AwsPages {
  /** DescribeLaunchTemplates MaxResults. */
  static final int LAUNCH_TEMPLATES = 200;

  /** DescribeAutoScalingGroups and DescribePolicies MaxRecords. */
  static final int GROUPS = 100;

  /** DescribeTargetGroups and DescribeLoadBalancers PageSize. */
  static final int ELB = 400;

  /** DescribeTags ResourceArns per call. */
  static final int ELB_TAGS = 20;

  /** No limit asked for: AWS's maximum everywhere. */
  static final int MAX = Integer.MAX_VALUE;

  private AwsPages() {}

  /** {@code asked}, but never above AWS's {@code max}. */
  static int of(int asked, int max) {
    return Math.max(1, Math.min(asked, max));
  }
}
