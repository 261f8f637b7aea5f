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

  /** The listing's head with the tags and listeners read for it. */
  public static ObservedLoadBalancer of(
      LoadBalancerHead head, Map<String, String> tags, List<Listener> listeners) {
    return new ObservedLoadBalancer(
        head.arn(), head.dnsName(), head.config(), tags, head.state(), listeners);
  }

  /** What the listing reports of it. */
  public LoadBalancerHead head() {
    return new LoadBalancerHead(arn, dnsName, config, state);
  }

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
