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

  /** A listener, the target group its default action forwards to, and its tags. */
  public record Listener(
      String arn, int port, String protocol, String targetGroupArn, Map<String, String> tags) {
    public Listener {
      tags = Map.copyOf(tags);
    }

    public Listener withTarget(String arn) {
      return new Listener(this.arn, port, protocol, arn, tags);
    }
  }
}
