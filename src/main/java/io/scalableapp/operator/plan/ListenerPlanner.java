package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.HttpsSpec;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.ListenerConfig;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedLoadBalancer.Listener;
import io.scalableapp.operator.cloud.TagChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The load balancer's listeners: HTTP on the spec's port, forwarding to the app's target group (or,
 * with https.redirectHttp, redirecting to HTTPS once the HTTPS listener is there), and HTTPS with
 * the spec's certificates and SSL policy. A listener on a spec's port is changed in place (a new
 * certificate, a redirect): never deleted and made again, so no connection drops. Listeners on
 * other ports are removed, and all of them go with the load balancer.
 */
public final class ListenerPlanner implements PartialPlanner<Void> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(LoadBalancerPlanner.class, TargetGroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    if (s.loadBalancer == null) {
      return;
    }
    v.range("spec.loadBalancer.listenerPort", s.loadBalancer.listenerPort, 1, 65535, false);
    HttpsSpec https = s.loadBalancer.https;
    if (https == null) {
      return;
    }
    v.range("spec.loadBalancer.https.port", https.port, 1, 65535, false);
    if (https.port() == port(s.loadBalancer)) {
      v.add("spec.loadBalancer.https.port: must differ from loadBalancer.listenerPort");
    }
    v.ids(
        "spec.loadBalancer.https.certificateArns",
        https.certificateArns,
        HttpsSpec.CERTIFICATE_PATTERN,
        1,
        25,
        true);
    if (https.certificateArns != null
        && new java.util.HashSet<>(https.certificateArns).size() < https.certificateArns.size()) {
      v.add("spec.loadBalancer.https.certificateArns: a certificate is listed twice");
    }
    v.pattern(
        "spec.loadBalancer.https.sslPolicy", https.sslPolicy, HttpsSpec.SSL_POLICY_PATTERN, false);
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
    List<ListenerConfig> wanted = desired(c.spec().loadBalancer, targetGroup.get(), lb.get());
    for (ListenerConfig want : wanted) {
      keep(c, lb.get(), want);
    }
    Set<Integer> ports = wanted.stream().map(ListenerConfig::port).collect(Collectors.toSet());
    lb.get().listeners().stream()
        .filter(l -> !ports.contains(l.port()))
        .forEach(
            l ->
                c.remove(
                    new DeleteListener(
                        l.arn(), "listener on port " + l.port() + " is not in the spec")));
    return Optional.empty();
  }

  /**
   * The listeners the spec asks for. HTTP redirects only once an HTTPS listener serves on the port
   * it redirects to (so that no request meets a closed port), and forwards otherwise.
   */
  static List<ListenerConfig> desired(
      LoadBalancerSpec spec, String targetGroupArn, ObservedLoadBalancer lb) {
    int httpPort = port(spec);
    HttpsSpec https = spec.https;
    if (https == null) {
      return List.of(ListenerConfig.forward(httpPort, targetGroupArn));
    }
    var secure =
        ListenerConfig.https(
            https.port(), targetGroupArn, https.certificateArns, https.sslPolicy());
    boolean httpsServes =
        lb.listeners().stream()
            .anyMatch(
                l ->
                    l.port() == https.port()
                        && ListenerConfig.HTTPS.equals(l.protocol())
                        && targetGroupArn.equals(l.targetGroupArn()));
    var http =
        https.redirectsHttp() && httpsServes
            ? ListenerConfig.redirect(httpPort, https.port())
            : ListenerConfig.forward(httpPort, targetGroupArn);
    // HTTPS first: it must serve before HTTP redirects to it.
    return List.of(secure, http);
  }

  /** Creates the listener, or changes the one on its port in place. */
  private static void keep(PlanContext c, ObservedLoadBalancer lb, ListenerConfig want) {
    int port = want.port();
    Optional<Listener> found = lb.listeners().stream().filter(l -> l.port() == port).findFirst();
    if (found.isEmpty()) {
      c.add(
          new CreateListener(
              lb.arn(),
              want,
              c.desired().tags(),
              "no " + want.protocol() + " listener on port " + port));
      return;
    }
    Listener l = found.get();
    ListenerConfig seen = l.config();
    List<String> changes = want.differences(seen);
    if (!changes.isEmpty()) {
      c.add(
          new ModifyListener(
              l.arn(), want, "listener on port " + port + ": " + String.join("; ", changes)));
    }
    List<String> add =
        want.extraCertificates().stream()
            .filter(cert -> !seen.certificateArns().contains(cert))
            .toList();
    List<String> remove =
        seen.extraCertificates().stream()
            .filter(cert -> !want.certificateArns().contains(cert))
            .toList();
    if (want.isHttps() && (!add.isEmpty() || !remove.isEmpty())) {
      c.add(
          new SetListenerCertificates(
              l.arn(),
              add,
              remove,
              "listener on port " + port + ": certificates +" + add + " -" + remove));
    }
    TagChange tags = TagChange.between(c.desired().tags(), l.tags());
    if (!tags.isEmpty()) {
      c.add(
          new LoadBalancerPlanner.RetagLoadBalancer(
              l.arn(), tags, "listener on port " + port + ": " + tags.describe(l.tags())));
    }
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
      String loadBalancerArn, ListenerConfig config, Map<String, String> tags, String reason)
      implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().createListener(loadBalancerArn, config, tags);
    }
  }

  /** Changes a listener in place: its ARN and open connections stay. */
  public record ModifyListener(String listenerArn, ListenerConfig config, String reason)
      implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().modifyListener(listenerArn, config);
    }
  }

  /** Adds and removes an HTTPS listener's certificates besides its default one. */
  public record SetListenerCertificates(
      String listenerArn, List<String> add, List<String> remove, String reason) implements Action {
    @Override
    public ElbEffect elbEffect() {
      return ElbEffect.CHANGES;
    }

    @Override
    public void apply(Cloud cloud) {
      cloud.loadBalancers().addCertificates(listenerArn, add);
      cloud.loadBalancers().removeCertificates(listenerArn, remove);
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
