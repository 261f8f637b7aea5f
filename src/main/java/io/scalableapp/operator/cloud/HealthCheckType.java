package io.scalableapp.operator.cloud;

/**
 * What an Auto Scaling Group replaces instances on: EC2 status checks, or ELB health checks too.
 */
public enum HealthCheckType {
  EC2,
  ELB;

  /** AWS's name, null (a group that reports none) counting as EC2, AWS's default. */
  public static HealthCheckType of(String awsName) {
    return "ELB".equals(awsName) ? ELB : EC2;
  }
}
