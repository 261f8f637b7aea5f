package io.scalableapp.operator.plan;

/**
 * What an action does to the app's ELBv2 resources, as far as reading them back goes. ELBv2 reads
 * are the scarcest AWS quota the operator spends (10 a second for the whole account and region), so
 * the observer reuses what it read of them (settings, tags, attributes, listeners) and what the
 * region's last poll showed (that no resource has a name) until the operator changes them. Every
 * action that calls ELBv2 says so here; {@code ElbEffectTest} checks each one.
 *
 * @param changes it changes a target group, load balancer or listener of the app: read them again
 * @param createdTargetGroup the name of the target group it creates, or null
 * @param createdLoadBalancer the name of the load balancer it creates, or null
 */
public record ElbEffect(boolean changes, String createdTargetGroup, String createdLoadBalancer) {
  /** No ELBv2 call. */
  public static final ElbEffect NONE = new ElbEffect(false, null, null);

  /** Changes, creating nothing. */
  public static final ElbEffect CHANGES = new ElbEffect(true, null, null);

  public static ElbEffect createsTargetGroup(String name) {
    return new ElbEffect(true, name, null);
  }

  public static ElbEffect createsLoadBalancer(String name) {
    return new ElbEffect(true, null, name);
  }
}
