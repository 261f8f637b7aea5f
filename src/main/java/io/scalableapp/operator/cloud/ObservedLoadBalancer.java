package io.scalableapp.operator.cloud;

import java.util.List;
import java.util.Map;

/**
 * An Application Load Balancer as AWS reports it, with its listeners.
 *
 * @param state provisioning, active, active_impaired or failed
 */
public record ObservedLoadBalancer(
    String arn,
    String dnsName,
    LoadBalancerConfig config,
    Map<String, String> tags,
    String state,
    List<Listener> listeners) {

  /** A listener and the target group its default action forwards to. */
  public record Listener(String arn, int port, String protocol, String targetGroupArn) {}
}
