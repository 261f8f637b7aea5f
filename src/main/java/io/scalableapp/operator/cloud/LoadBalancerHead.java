package io.scalableapp.operator.cloud;

/**
 * A load balancer as a region-wide listing reports it, without the tags and listeners that each
 * cost a call more.
 *
 * @param state provisioning, active, active_impaired or failed
 */
public record LoadBalancerHead(
    String arn, String dnsName, LoadBalancerConfig config, String state) {}
