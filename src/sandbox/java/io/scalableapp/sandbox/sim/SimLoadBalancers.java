package io.scalableapp.sandbox.sim;

import static io.scalableapp.sandbox.sim.World.error;

import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.ListenerConfig;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.LoadBalancerHead;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.ObservedLoadBalancer.Listener;
import io.scalableapp.operator.cloud.TagChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ELBv2 Application Load Balancers and their listeners: subnets in at least two zones, idempotent
 * creates, one listener per port. Shares the load balancing service's lock with {@link
 * SimTargetGroups}.
 */
final class SimLoadBalancers implements LoadBalancers {
  private final World world;
  private final Object elb;
  private final SimTargetGroups targetGroups;
  private final Map<String, LoadBalancer> byName = new LinkedHashMap<>();

  private static final class LoadBalancer {
    String arn;
    String dnsName;
    LoadBalancerConfig config;
    Map<String, String> tags;
    List<Listener> listeners = new ArrayList<>();
  }

  SimLoadBalancers(World world, Object elbLock, SimTargetGroups targetGroups) {
    this.world = world;
    this.elb = elbLock;
    this.targetGroups = targetGroups;
  }

  /** Some listener forwards to the target group (which then cannot be deleted). */
  boolean forwardsTo(String targetGroupArn) {
    synchronized (elb) {
      return byName.values().stream()
          .anyMatch(
              lb -> lb.listeners.stream().anyMatch(l -> targetGroupArn.equals(l.targetGroupArn())));
    }
  }

  @Override
  public Optional<ObservedLoadBalancer> find(String name) {
    world.tick();
    synchronized (elb) {
      return Optional.ofNullable(byName.get(name))
          .map(
              lb ->
                  new ObservedLoadBalancer(
                      lb.arn,
                      lb.dnsName,
                      lb.config,
                      Map.copyOf(lb.tags),
                      "active",
                      List.copyOf(lb.listeners)));
    }
  }

  @Override
  public LoadBalancerHead create(LoadBalancerConfig c, Map<String, String> tags) {
    world.tick();
    synchronized (elb) {
      LoadBalancer existing = byName.get(c.name());
      if (existing != null) {
        if (existing.config.equals(c)) {
          return head(existing);
        }
        throw error(
            Kind.ALREADY_EXISTS,
            "DuplicateLoadBalancerName",
            "A load balancer with the same name '"
                + c.name()
                + "' exists, but with different settings",
            "CreateLoadBalancer");
      }
      if (c.name().toLowerCase(Locale.ROOT).startsWith("internal-")) {
        throw error(
            Kind.INVALID_REQUEST,
            "ValidationError",
            "The load balancer name '" + c.name() + "' cannot begin with 'internal-'",
            "CreateLoadBalancer");
      }
      checkSubnets(c.subnetIds(), "CreateLoadBalancer");
      var lb = new LoadBalancer();
      String id = world.hex(16);
      lb.arn =
          "arn:aws:elasticloadbalancing:"
              + world.region()
              + ":"
              + World.ACCOUNT
              + ":loadbalancer/app/"
              + c.name()
              + "/"
              + id;
      lb.dnsName =
          ("internal".equals(c.scheme()) ? "internal-" : "")
              + c.name()
              + "-"
              + Long.parseLong(id, 16)
              + "."
              + world.region()
              + ".elb.amazonaws.com";
      lb.config = c;
      lb.tags = new LinkedHashMap<>(tags);
      byName.put(c.name(), lb);
      return head(lb);
    }
  }

  private static LoadBalancerHead head(LoadBalancer lb) {
    return new LoadBalancerHead(lb.arn, lb.dnsName, lb.config, "active");
  }

  private void checkSubnets(List<String> ids, String operation) {
    for (String id : ids) {
      if (world.subnet(id).isEmpty()) {
        throw error(
            Kind.INVALID_REQUEST,
            "SubnetNotFound",
            "The subnet ID '" + id + "' is not valid",
            operation);
      }
    }
    if (ids.stream().map(id -> world.subnet(id).orElseThrow().availabilityZone()).distinct().count()
        < 2) {
      throw error(
          Kind.INVALID_REQUEST,
          "ValidationError",
          "At least two subnets in two different Availability Zones must be specified",
          operation);
    }
  }

  @Override
  public Optional<LoadBalancerHead> findHead(String name) {
    return find(name).map(ObservedLoadBalancer::head);
  }

  @Override
  public List<LoadBalancerHead> list() {
    world.tick();
    synchronized (elb) {
      return byName.values().stream().map(SimLoadBalancers::head).toList();
    }
  }

  @Override
  public List<Listener> listeners(String loadBalancerArn) {
    world.tick();
    synchronized (elb) {
      return byArn(loadBalancerArn, "DescribeListeners").listeners.stream()
          .map(l -> l.withTags(Map.of()))
          .toList();
    }
  }

  @Override
  public Map<String, Map<String, String>> tags(Collection<String> arns) {
    world.tick();
    synchronized (elb) {
      var byResource = new HashMap<String, Map<String, String>>();
      for (String arn : arns) {
        for (LoadBalancer lb : byName.values()) {
          if (lb.arn.equals(arn)) {
            byResource.put(arn, Map.copyOf(lb.tags));
          }
          lb.listeners.stream()
              .filter(l -> l.arn().equals(arn))
              .forEach(l -> byResource.put(arn, l.tags()));
        }
        targetGroups.tagsOf(arn).ifPresent(tags -> byResource.put(arn, tags));
      }
      return byResource;
    }
  }

  private LoadBalancer byArn(String arn, String operation) {
    return byName.values().stream()
        .filter(lb -> lb.arn.equals(arn))
        .findFirst()
        .orElseThrow(
            () ->
                error(
                    Kind.NOT_FOUND,
                    "LoadBalancerNotFound",
                    "One or more load balancers not found",
                    operation));
  }

  @Override
  public void setSubnets(String arn, List<String> subnetIds) {
    world.tick();
    synchronized (elb) {
      checkSubnets(subnetIds, "SetSubnets");
      LoadBalancer lb = byArn(arn, "SetSubnets");
      lb.config =
          new LoadBalancerConfig(
              lb.config.name(), lb.config.scheme(), subnetIds, lb.config.securityGroupIds());
    }
  }

  @Override
  public void setSecurityGroups(String arn, List<String> securityGroupIds) {
    world.tick();
    synchronized (elb) {
      LoadBalancer lb = byArn(arn, "SetSecurityGroups");
      lb.config =
          new LoadBalancerConfig(
              lb.config.name(), lb.config.scheme(), lb.config.subnetIds(), securityGroupIds);
    }
  }

  @Override
  public void retag(String arn, TagChange change) {
    world.tick();
    synchronized (elb) {
      for (LoadBalancer lb : byName.values()) {
        if (lb.arn.equals(arn)) {
          lb.tags.putAll(change.set());
          change.remove().forEach(lb.tags::remove);
          return;
        }
        for (int i = 0; i < lb.listeners.size(); i++) {
          Listener l = lb.listeners.get(i);
          if (l.arn().equals(arn)) {
            var tags = new HashMap<>(l.tags());
            tags.putAll(change.set());
            change.remove().forEach(tags::remove);
            lb.listeners.set(i, l.withTags(tags));
            return;
          }
        }
      }
      throw error(
          Kind.NOT_FOUND, "LoadBalancerNotFound", "One or more resources not found", "AddTags");
    }
  }

  @Override
  public void delete(String arn) {
    world.tick();
    synchronized (elb) {
      byName.values().removeIf(lb -> lb.arn.equals(arn));
    }
  }

  /** AWS's predefined SSL policies for Application Load Balancers (a selection). */
  static final List<String> SSL_POLICIES =
      List.of(
          "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
          "ELBSecurityPolicy-TLS13-1-3-2021-06",
          "ELBSecurityPolicy-2016-08",
          "ELBSecurityPolicy-TLS-1-2-2017-01",
          "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
          "ELBSecurityPolicy-FS-1-2-Res-2020-10");

  /** What AWS checks of a listener's settings, with its error codes. */
  private void check(ListenerConfig c, String operation) {
    if (c.targetGroupArn() != null && !targetGroups.exists(c.targetGroupArn())) {
      throw error(
          Kind.INVALID_REQUEST,
          "TargetGroupNotFound",
          "One or more target groups not found",
          operation);
    }
    if (c.isHttps() && c.defaultCertificate() == null) {
      throw error(
          Kind.INVALID_REQUEST,
          "CertificateWereNotPassed",
          "You must provide a list containing exactly one certificate if the listener protocol"
              + " is HTTPS.",
          operation);
    }
    if (c.isHttps() && c.sslPolicy() != null && !SSL_POLICIES.contains(c.sslPolicy())) {
      throw error(
          Kind.INVALID_REQUEST,
          "SSLPolicyNotFound",
          "Policy " + c.sslPolicy() + " not found",
          operation);
    }
  }

  @Override
  public String createListener(
      String loadBalancerArn, ListenerConfig config, Map<String, String> tags) {
    world.tick();
    synchronized (elb) {
      LoadBalancer lb = byArn(loadBalancerArn, "CreateListener");
      check(config, "CreateListener");
      if (lb.listeners.stream().anyMatch(l -> l.port() == config.port())) {
        throw error(
            Kind.ALREADY_EXISTS,
            "DuplicateListener",
            "A listener already exists on this port for this load balancer",
            "CreateListener");
      }
      var listener =
          Listener.of(
              lb.arn.replace(":loadbalancer/", ":listener/") + "/" + world.hex(16),
              withDefaultPolicy(config),
              tags);
      lb.listeners.add(listener);
      return listener.arn();
    }
  }

  /** AWS's default SSL policy for an HTTPS listener created without one. */
  private static ListenerConfig withDefaultPolicy(ListenerConfig c) {
    return c.isHttps() && c.sslPolicy() == null
        ? ListenerConfig.https(
            c.port(), c.targetGroupArn(), c.certificateArns(), "ELBSecurityPolicy-2016-08")
        : c;
  }

  @Override
  public void modifyListener(String listenerArn, ListenerConfig config) {
    world.tick();
    synchronized (elb) {
      check(config, "ModifyListener");
      change(
          listenerArn,
          "ModifyListener",
          l -> {
            // ModifyListener sets the default certificate; the others stay.
            var certificates = new ArrayList<String>();
            if (config.isHttps()) {
              certificates.add(config.defaultCertificate());
              l.certificateArns().stream()
                  .skip(1)
                  .filter(c -> !certificates.contains(c))
                  .forEach(certificates::add);
            }
            return new Listener(
                l.arn(),
                config.port(),
                config.protocol(),
                config.targetGroupArn(),
                l.tags(),
                config.redirectPort(),
                certificates,
                config.isHttps() ? config.sslPolicy() : null);
          });
    }
  }

  @Override
  public void addCertificates(String listenerArn, List<String> certificateArns) {
    world.tick();
    synchronized (elb) {
      change(
          listenerArn,
          "AddListenerCertificates",
          l -> {
            var all = new ArrayList<>(l.certificateArns());
            certificateArns.stream().filter(c -> !all.contains(c)).forEach(all::add);
            return l.withCertificates(all);
          });
    }
  }

  @Override
  public void removeCertificates(String listenerArn, List<String> certificateArns) {
    world.tick();
    synchronized (elb) {
      change(
          listenerArn,
          "RemoveListenerCertificates",
          l -> {
            var all = new ArrayList<>(l.certificateArns());
            // The default certificate cannot be removed this way.
            all.subList(Math.min(1, all.size()), all.size()).removeAll(certificateArns);
            return l.withCertificates(all);
          });
    }
  }

  private void change(
      String listenerArn, String operation, java.util.function.UnaryOperator<Listener> change) {
    for (LoadBalancer lb : byName.values()) {
      for (int i = 0; i < lb.listeners.size(); i++) {
        if (lb.listeners.get(i).arn().equals(listenerArn)) {
          lb.listeners.set(i, change.apply(lb.listeners.get(i)));
          return;
        }
      }
    }
    throw error(Kind.NOT_FOUND, "ListenerNotFound", "One or more listeners not found", operation);
  }

  @Override
  public void deleteListener(String listenerArn) {
    world.tick();
    synchronized (elb) {
      byName.values().forEach(lb -> lb.listeners.removeIf(l -> l.arn().equals(listenerArn)));
    }
  }
}
