package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedLoadBalancer.Listener;
import io.scalableapp.operator.cloud.TagChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The load balancer's HTTP listener on the spec's port, forwarding to the app's target group;
 * listeners on other ports are removed, and all of them go with the load balancer.
 */
public final class ListenerPlanner implements PartialPlanner<Void> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(LoadBalancerPlanner.class, TargetGroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    if (s.loadBalancer != null) {
      v.range("spec.loadBalancer.listenerPort", s.loadBalancer.listenerPort, 1, 65535, false);
    }
  }

  static int port(LoadBalancerSpec lb) {
    return lb.listenerPort == null ? LoadBalancerSpec.DEFAULT_LISTENER_PORT : lb.listenerPort;
  }

  @Override
  public Optional<Void> plan(PlanContext c) {
    if (c.spec().loadBalancer == null) {
      c.observed()
          .loadBalancer()
          .ifPresent(lb -> removeAll(lb, "spec.loadBalancer removed", c::remove));
      return Optional.empty();
    }
    Optional<ObservedLoadBalancer> lb = c.ready(LoadBalancerPlanner.class);
    Optional<String> targetGroup =
        c.ready(TargetGroupPlanner.class).flatMap(TargetGroupPlanner.Serving::serve);
    if (lb.isEmpty() || targetGroup.isEmpty()) {
      return Optional.empty();
    }
    int port = port(c.spec().loadBalancer);
    Optional<Listener> listener =
        lb.get().listeners().stream().filter(l -> l.port() == port).findFirst();
    if (listener.isEmpty()) {
      c.add(
          new CreateListener(
              lb.get().arn(),
              port,
              targetGroup.get(),
              c.desired().tags(),
              "no listener on port " + port));
    } else {
      Listener l = listener.get();
      if (!targetGroup.get().equals(l.targetGroupArn())) {
        c.add(
            new SetListenerTarget(
                l.arn(),
                targetGroup.get(),
                "listener on port " + port + " forwards to " + l.targetGroupArn()));
      }
      TagChange tags = TagChange.between(c.desired().tags(), l.tags());
      if (!tags.isEmpty()) {
        c.add(
            new LoadBalancerPlanner.RetagLoadBalancer(
                l.arn(), tags, "listener on port " + port + ": " + tags.describe(l.tags())));
      }
    }
    lb.get().listeners().stream()
        .filter(l -> l.port() != port)
        .forEach(
            l ->
                c.remove(
                    new DeleteListener(
                        l.arn(), "listener on port " + l.port() + " is not in the spec")));
    return Optional.empty();
  }

  @Override
  public boolean delete(DeletionContext c) {
    c.observed()
        .loadBalancer()
        .filter(lb -> c.ours(lb.tags()))
        .ifPresent(lb -> removeAll(lb, "app deleted", c::remove));
    return true;
  }

  private static void removeAll(ObservedLoadBalancer lb, String reason, Consumer<Action> remove) {
    lb.listeners().forEach(l -> remove.accept(new DeleteListener(l.arn(), reason)));
  }

  public record CreateListener(
      String loadBalancerArn,
      int port,
      String targetGroupArn,
      Map<String, String> tags,
      String reason)
      implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().createListener(loadBalancerArn, port, targetGroupArn, tags);
    }
  }

  public record SetListenerTarget(String listenerArn, String targetGroupArn, String reason)
      implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().setListenerTarget(listenerArn, targetGroupArn);
    }
  }

  public record DeleteListener(String listenerArn, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().deleteListener(listenerArn);
    }
  }
}
