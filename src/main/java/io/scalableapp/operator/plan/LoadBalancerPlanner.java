package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.SG_PATTERN;
import static io.scalableapp.operator.api.ScalableAppSpec.SUBNET_PATTERN;

import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.LoadBalancerHead;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.TagChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Application Load Balancer over its subnets and security groups; removed when the spec drops
 * it. Its scheme cannot change in place. Gives its dependents the load balancer as AWS reports it.
 */
public final class LoadBalancerPlanner implements PartialPlanner<ObservedLoadBalancer> {
  static final String KIND = "load balancer";

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    LoadBalancerSpec lb = s.loadBalancer;
    if (lb == null) {
      return;
    }
    if (s.targetGroup == null) {
      v.add(
          "spec.loadBalancer: needs spec.targetGroup (the listener forwards to the app's target"
              + " group)");
    }
    v.oneOf("spec.loadBalancer.scheme", lb.scheme, LoadBalancerSpec.Scheme.class);
    v.ids("spec.loadBalancer.subnetIds", lb.subnetIds, SUBNET_PATTERN, 2, 16, true);
    v.ids("spec.loadBalancer.securityGroupIds", lb.securityGroupIds, SG_PATTERN, 0, 5, false);
  }

  /** The load balancer the spec asks for, under {@code name}. */
  public static LoadBalancerConfig desired(LoadBalancerSpec lb, String name) {
    return new LoadBalancerConfig(
        name,
        lb.scheme == null ? LoadBalancerSpec.DEFAULT_SCHEME : lb.scheme,
        lb.subnetIds,
        lb.securityGroupIds);
  }

  @Override
  public Optional<ObservedLoadBalancer> plan(PlanContext c) {
    Optional<ObservedLoadBalancer> seen = c.observed().loadBalancer();
    if (seen.isPresent() && !c.owned(KIND, seen.get().config().name(), seen.get().tags())) {
      return Optional.empty();
    }
    if (c.spec().loadBalancer == null) {
      seen.ifPresent(lb -> c.remove(new DeleteLoadBalancer(lb.arn(), "spec.loadBalancer removed")));
      return Optional.empty();
    }
    var want = desired(c.spec().loadBalancer, c.desired().names().loadBalancer());
    if (seen.isEmpty()) {
      c.add(new CreateLoadBalancer(want, c.desired().tags(), "load balancer does not exist"));
      return Optional.empty();
    }
    ObservedLoadBalancer lb = seen.get();
    LoadBalancerConfig has = lb.config();
    TagChange tags = TagChange.between(c.desired().tags(), lb.tags());
    if (!tags.isEmpty()) {
      c.add(new RetagLoadBalancer(lb.arn(), tags, tags.describe(lb.tags())));
    }
    if (!want.scheme().equals(has.scheme())) {
      c.block(
          "load balancer "
              + has.name()
              + " is "
              + has.scheme()
              + "; its scheme cannot change in place (remove spec.loadBalancer, then add it back)");
    }
    if (!has.subnetIds().equals(want.subnetIds())) {
      c.add(
          new SetLoadBalancerSubnets(
              lb.arn(),
              want.subnetIds(),
              "load balancer subnets " + has.subnetIds() + " -> " + want.subnetIds()));
    }
    if (!want.securityGroupIds().isEmpty()
        && !has.securityGroupIds().equals(want.securityGroupIds())) {
      c.add(
          new SetLoadBalancerSecurityGroups(
              lb.arn(),
              want.securityGroupIds(),
              "load balancer security groups "
                  + has.securityGroupIds()
                  + " -> "
                  + want.securityGroupIds()));
    }
    return Optional.of(lb);
  }

  @Override
  public boolean delete(DeletionContext c) {
    c.observed()
        .loadBalancer()
        .filter(lb -> c.owned(KIND, lb.config().name(), lb.tags()))
        .ifPresent(lb -> c.remove(new DeleteLoadBalancer(lb.arn(), "app deleted")));
    return true;
  }

  public record CreateLoadBalancer(
      LoadBalancerConfig config, Map<String, String> tags, String reason)
      implements Creates<LoadBalancerHead> {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.createsLoadBalancer(config.name());
    }

    @Override
    public LoadBalancerHead create(Cloud cloud) {
      return cloud.loadBalancers().create(config, tags);
    }
  }

  public record SetLoadBalancerSubnets(String arn, List<String> subnetIds, String reason)
      implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setSubnets(arn, subnetIds);
    }
  }

  public record SetLoadBalancerSecurityGroups(
      String arn, List<String> securityGroupIds, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setSecurityGroups(arn, securityGroupIds);
    }
  }

  /** Tags of the load balancer, or of one of its listeners (the same ELBv2 call). */
  public record RetagLoadBalancer(String arn, TagChange change, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().retag(arn, change);
    }
  }

  public record DeleteLoadBalancer(String arn, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().delete(arn);
    }
  }
}
