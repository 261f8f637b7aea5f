package io.scalableapp.operator.cloud;

import java.util.List;

/**
 * An Application Load Balancer's managed settings; subnets and security groups sorted.
 *
 * @param scheme internet-facing or internal
 */
public record LoadBalancerConfig(
    String name, String scheme, List<String> subnetIds, List<String> securityGroupIds) {
  public LoadBalancerConfig {
    subnetIds = subnetIds == null ? List.of() : subnetIds.stream().sorted().toList();
    securityGroupIds =
        securityGroupIds == null ? List.of() : securityGroupIds.stream().sorted().toList();
  }
}
