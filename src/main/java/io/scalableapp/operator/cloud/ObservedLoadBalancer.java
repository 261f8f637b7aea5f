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

  /**
   * A listener: what it does (the target group its default action forwards to, or the HTTPS port it
   * redirects to; its certificates, the default first, and SSL policy) and its tags.
   */
  public record Listener(
      String arn,
      int port,
      String protocol,
      String targetGroupArn,
      Map<String, String> tags,
      Integer redirectPort,
      List<String> certificateArns,
      String sslPolicy) {
    public Listener {
      tags = Map.copyOf(tags);
      certificateArns = certificateArns == null ? List.of() : List.copyOf(certificateArns);
    }

    /** An HTTP listener forwarding to the target group. */
    public Listener(
        String arn, int port, String protocol, String targetGroupArn, Map<String, String> tags) {
      this(arn, port, protocol, targetGroupArn, tags, null, List.of(), null);
    }

    /** A listener doing what {@code config} says. */
    public static Listener of(String arn, ListenerConfig config, Map<String, String> tags) {
      return new Listener(
          arn,
          config.port(),
          config.protocol(),
          config.targetGroupArn(),
          tags,
          config.redirectPort(),
          config.certificateArns(),
          config.sslPolicy());
    }

    public ListenerConfig config() {
      return new ListenerConfig(
          port, protocol, targetGroupArn, redirectPort, certificateArns, sslPolicy);
    }

    public Listener withCertificates(List<String> certificateArns) {
      return new Listener(
          arn, port, protocol, targetGroupArn, tags, redirectPort, certificateArns, sslPolicy);
    }

    public Listener withTags(Map<String, String> tags) {
      return new Listener(
          arn, port, protocol, targetGroupArn, tags, redirectPort, certificateArns, sslPolicy);
    }
  }
}
