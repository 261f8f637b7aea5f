package io.scalableapp.operator.cloud;

/** The target-group settings the operator manages (instance targets). */
public record TargetGroupConfig(
    String name, String protocol, int port, String vpcId, HealthCheckConfig healthCheck) {

  public TargetGroupConfig withHealthCheck(HealthCheckConfig hc) {
    return new TargetGroupConfig(name, protocol, port, vpcId, hc);
  }

  /** An HTTP health check with every value explicit (AWS defaults filled in). */
  public record HealthCheckConfig(
      String path,
      int intervalSeconds,
      int timeoutSeconds,
      int healthyThreshold,
      int unhealthyThreshold,
      String matcher) {}
}
