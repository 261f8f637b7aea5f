package io.scalableapp.operator.cloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ELBv2 Application Load Balancers and their listeners. */
public interface LoadBalancers {
  /** The load balancer with this name, its tags and listeners; empty when AWS has none. */
  Optional<ObservedLoadBalancer> find(String name);

  /** The load balancer with this name, without tags and listeners (one call); empty when none. */
  Optional<LoadBalancerHead> findHead(String name);

  /** Every Application Load Balancer in the region, all pages, without tags and listeners. */
  List<LoadBalancerHead> list();

  /**
   * The load balancer's listeners, without their tags (empty: read them with {@link #tags}, in one
   * call with other ARNs).
   */
  List<ObservedLoadBalancer.Listener> listeners(String loadBalancerArn);

  /**
   * The tags of these ELBv2 resources (load balancers, listeners, target groups: ELBv2 has one tag
   * API for all of them), by ARN; a resource that is gone is missing from the map.
   */
  Map<String, Map<String, String>> tags(Collection<String> arns);

  /**
   * Creates an application load balancer, tagged. AWS returns the existing one for a repeated
   * create with the same settings; ALREADY_EXISTS when the name is taken with others.
   *
   * @return the load balancer as AWS's answer describes it (the whole of what DescribeLoadBalancers
   *     would show)
   */
  LoadBalancerHead create(LoadBalancerConfig config, Map<String, String> tags);

  /** Sets the subnets the load balancer serves from. */
  void setSubnets(String arn, List<String> subnetIds);

  /** Sets its security groups. */
  void setSecurityGroups(String arn, List<String> securityGroupIds);

  /** Sets and removes the tags of a load balancer or one of its listeners, by ARN. */
  void retag(String arn, TagChange change);

  /** Deletes it (and, in AWS, its listeners); NotFound counts as done. */
  void delete(String arn);

  /**
   * Creates a listener doing what {@code config} says (with every certificate it names), tagged (so
   * that IAM can limit changing and deleting listeners to the operator's own).
   *
   * @return the listener's ARN
   */
  String createListener(String loadBalancerArn, ListenerConfig config, Map<String, String> tags);

  /** An HTTP listener on {@code port} forwarding to the target group. */
  default String createListener(
      String loadBalancerArn, int port, String targetGroupArn, Map<String, String> tags) {
    return createListener(loadBalancerArn, ListenerConfig.forward(port, targetGroupArn), tags);
  }

  /**
   * Changes the listener in place (same ARN, no dropped connection): protocol, default action,
   * default certificate and SSL policy. The other certificates: {@link #addCertificates}, {@link
   * #removeCertificates}.
   */
  void modifyListener(String listenerArn, ListenerConfig config);

  /** Adds certificates (besides the default one) to an HTTPS listener; none: no call. */
  void addCertificates(String listenerArn, List<String> certificateArns);

  /** Removes certificates (never the default one) from an HTTPS listener; none: no call. */
  void removeCertificates(String listenerArn, List<String> certificateArns);

  /** Deletes the listener; NotFound counts as done. */
  void deleteListener(String listenerArn);
}
