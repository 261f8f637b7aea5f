package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.ListenerConfig;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.LoadBalancerHead;
import io.scalableapp.operator.cloud.LoadBalancers;
import io.scalableapp.operator.cloud.ObservedLoadBalancer;
import io.scalableapp.operator.cloud.TagChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;

/** {@link LoadBalancers} on ELBv2. */
public class AwsLoadBalancers implements LoadBalancers {
  private final ElasticLoadBalancingV2Client elb;
  private final int pageSize;

  public AwsLoadBalancers(ElasticLoadBalancingV2Client elb) {
    this(elb, AwsPages.MAX);
  }

  /** Listing at most {@code pageSize} load balancers per page (never more than AWS's 400). */
  public AwsLoadBalancers(ElasticLoadBalancingV2Client elb, int pageSize) {
    this.elb = elb;
    this.pageSize = AwsPages.of(pageSize, AwsPages.ELB);
  }

  @Override
  public List<LoadBalancerHead> list() {
    return AwsErrors.call(
        "DescribeLoadBalancers",
        () ->
            elb.describeLoadBalancersPaginator(r -> r.pageSize(pageSize)).loadBalancers().stream()
                .filter(lb -> lb.type() == null || lb.type() == LoadBalancerTypeEnum.APPLICATION)
                .map(AwsLoadBalancers::toHead)
                .toList());
  }

  @Override
  public List<ObservedLoadBalancer.Listener> listeners(String loadBalancerArn) {
    return AwsErrors.call(
            "DescribeListeners",
            () -> elb.describeListeners(r -> r.loadBalancerArn(loadBalancerArn)).listeners())
        .stream()
        .map(l -> withCertificates(toListener(l, Map.of())))
        .toList();
  }

  @Override
  public Map<String, Map<String, String>> tags(Collection<String> arns) {
    return tags(elb, arns);
  }

  /** DescribeTags in batches of AWS's 20 ARNs a call. */
  static Map<String, Map<String, String>> tags(
      ElasticLoadBalancingV2Client elb, Collection<String> arns) {
    var all = List.copyOf(arns);
    var byArn = new HashMap<String, Map<String, String>>();
    for (int i = 0; i < all.size(); i += AwsPages.ELB_TAGS) {
      var batch = all.subList(i, Math.min(all.size(), i + AwsPages.ELB_TAGS));
      try {
        AwsErrors.call(
                "DescribeTags",
                () -> elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions())
            .forEach(d -> byArn.put(d.resourceArn(), AwsTags.fromElb(d.tags())));
      } catch (CloudException e) {
        if (!e.is(CloudException.Kind.NOT_FOUND)) {
          throw e;
        }
        // AWS refuses a whole batch for one ARN that is gone: ask for each on its own (a single
        // gone ARN has no tags).
        if (batch.size() > 1) {
          batch.forEach(arn -> byArn.putAll(tags(elb, List.of(arn))));
        }
      }
    }
    return byArn;
  }

  static LoadBalancerHead toHead(LoadBalancer lb) {
    return new LoadBalancerHead(
        lb.loadBalancerArn(),
        lb.dnsName(),
        new LoadBalancerConfig(
            lb.loadBalancerName(),
            lb.schemeAsString(),
            lb.availabilityZones().stream().map(AvailabilityZone::subnetId).toList(),
            lb.securityGroups()),
        lb.state() == null ? null : lb.state().codeAsString());
  }

  @Override
  public Optional<LoadBalancerHead> findHead(String name) {
    return AwsErrors.describe(
            "DescribeLoadBalancers",
            () -> elb.describeLoadBalancers(r -> r.names(name)).loadBalancers())
        .stream()
        .findFirst()
        .map(AwsLoadBalancers::toHead);
  }

  @Override
  public Optional<ObservedLoadBalancer> find(String name) {
    Optional<LoadBalancerHead> found = findHead(name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    LoadBalancerHead head = found.get();
    List<Listener> listeners =
        AwsErrors.call(
            "DescribeListeners",
            () -> elb.describeListeners(r -> r.loadBalancerArn(head.arn())).listeners());
    // One DescribeTags for the load balancer and its listeners (it takes 20 ARNs).
    var arns = new ArrayList<String>();
    arns.add(head.arn());
    listeners.stream().map(Listener::listenerArn).limit(AwsPages.ELB_TAGS - 1).forEach(arns::add);
    Map<String, Map<String, String>> tagsByArn = tags(elb, arns);
    return Optional.of(
        ObservedLoadBalancer.of(
            head,
            tagsByArn.getOrDefault(head.arn(), Map.of()),
            listeners.stream()
                .map(
                    l ->
                        withCertificates(
                            toListener(l, tagsByArn.getOrDefault(l.listenerArn(), Map.of()))))
                .toList()));
  }

  @Override
  public LoadBalancerHead create(LoadBalancerConfig c, Map<String, String> tags) {
    return AwsErrors.call(
        "CreateLoadBalancer",
        () ->
            elb
                .createLoadBalancer(
                    r ->
                        r.name(c.name())
                            .type(LoadBalancerTypeEnum.APPLICATION)
                            .scheme(c.scheme())
                            .subnets(c.subnetIds())
                            .securityGroups(
                                c.securityGroupIds().isEmpty() ? null : c.securityGroupIds())
                            .tags(AwsTags.toElb(tags)))
                .loadBalancers()
                .stream()
                .map(AwsLoadBalancers::toHead)
                .findFirst()
                .orElseThrow());
  }

  @Override
  public void setSubnets(String arn, List<String> subnetIds) {
    AwsErrors.run(
        "SetSubnets", () -> elb.setSubnets(r -> r.loadBalancerArn(arn).subnets(subnetIds)));
  }

  @Override
  public void setSecurityGroups(String arn, List<String> securityGroupIds) {
    AwsErrors.run(
        "SetSecurityGroups",
        () -> elb.setSecurityGroups(r -> r.loadBalancerArn(arn).securityGroups(securityGroupIds)));
  }

  @Override
  public void retag(String arn, TagChange change) {
    retag(elb, arn, change);
  }

  /** AddTags and RemoveTags on any ELBv2 resource (target group, load balancer, listener). */
  static void retag(ElasticLoadBalancingV2Client elb, String arn, TagChange change) {
    if (!change.set().isEmpty()) {
      AwsErrors.run(
          "AddTags", () -> elb.addTags(r -> r.resourceArns(arn).tags(AwsTags.toElb(change.set()))));
    }
    if (!change.remove().isEmpty()) {
      AwsErrors.run(
          "RemoveTags", () -> elb.removeTags(r -> r.resourceArns(arn).tagKeys(change.remove())));
    }
  }

  @Override
  public void delete(String arn) {
    AwsErrors.delete(
        "DeleteLoadBalancer", () -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn)));
  }

  @Override
  public String createListener(
      String loadBalancerArn, ListenerConfig config, Map<String, String> tags) {
    String arn =
        AwsErrors.call(
            "CreateListener",
            () ->
                elb.createListener(
                        r -> {
                          r.loadBalancerArn(loadBalancerArn)
                              .protocol(config.protocol())
                              .port(config.port())
                              .defaultActions(action(config))
                              .tags(AwsTags.toElb(tags));
                          if (config.isHttps()) {
                            r.sslPolicy(config.sslPolicy())
                                .certificates(certificate(config.defaultCertificate()));
                          }
                        })
                    .listeners()
                    .get(0)
                    .listenerArn());
    if (!config.extraCertificates().isEmpty()) {
      addCertificates(arn, config.extraCertificates());
    }
    return arn;
  }

  @Override
  public void modifyListener(String listenerArn, ListenerConfig config) {
    AwsErrors.run(
        "ModifyListener",
        () ->
            elb.modifyListener(
                r -> {
                  r.listenerArn(listenerArn)
                      .port(config.port())
                      .protocol(config.protocol())
                      .defaultActions(action(config));
                  if (config.isHttps()) {
                    r.sslPolicy(config.sslPolicy())
                        .certificates(certificate(config.defaultCertificate()));
                  }
                }));
  }

  @Override
  public void addCertificates(String listenerArn, List<String> certificateArns) {
    if (certificateArns.isEmpty()) {
      return;
    }
    AwsErrors.run(
        "AddListenerCertificates",
        () ->
            elb.addListenerCertificates(
                r ->
                    r.listenerArn(listenerArn)
                        .certificates(
                            certificateArns.stream().map(AwsLoadBalancers::certificate).toList())));
  }

  @Override
  public void removeCertificates(String listenerArn, List<String> certificateArns) {
    if (certificateArns.isEmpty()) {
      return;
    }
    AwsErrors.run(
        "RemoveListenerCertificates",
        () ->
            elb.removeListenerCertificates(
                r ->
                    r.listenerArn(listenerArn)
                        .certificates(
                            certificateArns.stream().map(AwsLoadBalancers::certificate).toList())));
  }

  private static Certificate certificate(String arn) {
    return Certificate.builder().certificateArn(arn).build();
  }

  /** Forward to the target group, or a permanent redirect to HTTPS keeping host, path and query. */
  private static Action action(ListenerConfig config) {
    if (config.redirectPort() == null) {
      return forward(config.targetGroupArn());
    }
    return Action.builder()
        .type(ActionTypeEnum.REDIRECT)
        .redirectConfig(
            RedirectActionConfig.builder()
                .protocol(ListenerConfig.HTTPS)
                .port(String.valueOf(config.redirectPort()))
                .statusCode(RedirectActionStatusCodeEnum.HTTP_301)
                .build())
        .build();
  }

  /**
   * The certificates of an HTTPS listener besides its default one: DescribeListeners shows only the
   * default; DescribeListenerCertificates lists them all (the default marked IsDefault).
   */
  private List<String> extraCertificates(String listenerArn) {
    return AwsErrors.call(
        "DescribeListenerCertificates",
        () -> {
          var extra = new ArrayList<String>();
          String marker = null;
          do {
            String from = marker;
            var page =
                elb.describeListenerCertificates(r -> r.listenerArn(listenerArn).marker(from));
            page.certificates().stream()
                .filter(c -> !Boolean.TRUE.equals(c.isDefault()))
                .map(Certificate::certificateArn)
                .forEach(extra::add);
            marker = page.nextMarker();
          } while (marker != null && !marker.isEmpty());
          return extra;
        });
  }

  @Override
  public void deleteListener(String listenerArn) {
    AwsErrors.delete("DeleteListener", () -> elb.deleteListener(r -> r.listenerArn(listenerArn)));
  }

  private static Action forward(String targetGroupArn) {
    return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
  }

  static ObservedLoadBalancer.Listener toListener(Listener l, Map<String, String> tags) {
    String target =
        l.defaultActions().stream()
            .filter(a -> a.type() == ActionTypeEnum.FORWARD)
            .map(
                a ->
                    a.targetGroupArn() != null
                        ? a.targetGroupArn()
                        : a.forwardConfig() == null || a.forwardConfig().targetGroups().isEmpty()
                            ? null
                            : a.forwardConfig().targetGroups().get(0).targetGroupArn())
            .findFirst()
            .orElse(null);
    Integer redirect =
        l.defaultActions().stream()
            .filter(a -> a.type() == ActionTypeEnum.REDIRECT && a.redirectConfig() != null)
            .map(a -> redirectPort(a.redirectConfig()))
            .findFirst()
            .orElse(null);
    List<String> certificates =
        l.certificates().stream().map(Certificate::certificateArn).limit(1).toList();
    return new ObservedLoadBalancer.Listener(
        l.listenerArn(),
        l.port() == null ? 0 : l.port(),
        l.protocolAsString(),
        target,
        tags,
        redirect,
        certificates,
        l.protocol() == ProtocolEnum.HTTPS ? l.sslPolicy() : null);
  }

  /** The port a redirect goes to; AWS keeps "#{port}" (the request's) when none was set. */
  private static Integer redirectPort(RedirectActionConfig r) {
    return r.port() != null && r.port().matches("[0-9]+") ? Integer.valueOf(r.port()) : -1;
  }

  /** The listener with every certificate of an HTTPS one (DescribeListeners shows the default). */
  private ObservedLoadBalancer.Listener withCertificates(ObservedLoadBalancer.Listener l) {
    if (!ListenerConfig.HTTPS.equals(l.protocol())) {
      return l;
    }
    var all = new ArrayList<>(l.certificateArns());
    extraCertificates(l.arn()).stream().filter(c -> !all.contains(c)).forEach(all::add);
    return l.withCertificates(all);
  }
}
