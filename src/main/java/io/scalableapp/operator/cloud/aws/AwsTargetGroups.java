package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.ObservedTargetGroup;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.TargetGroupConfig;
import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.cloud.TargetGroups;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/** {@link TargetGroups} on ELBv2. */
public class AwsTargetGroups implements TargetGroups {
  private final ElasticLoadBalancingV2Client elb;
  private final int pageSize;

  public AwsTargetGroups(ElasticLoadBalancingV2Client elb) {
    this(elb, AwsPages.MAX);
  }

  /** Listing at most {@code pageSize} target groups per page (never more than AWS's 400). */
  public AwsTargetGroups(ElasticLoadBalancingV2Client elb, int pageSize) {
    this.elb = elb;
    this.pageSize = AwsPages.of(pageSize, AwsPages.ELB);
  }

  @Override
  public List<TargetGroupHead> list() {
    return AwsErrors.call(
        "DescribeTargetGroups",
        () ->
            elb.describeTargetGroupsPaginator(r -> r.pageSize(pageSize)).targetGroups().stream()
                .map(tg -> new TargetGroupHead(tg.targetGroupArn(), toConfig(tg)))
                .toList());
  }

  @Override
  public Map<String, String> attributes(String arn) {
    return AwsErrors.call(
            "DescribeTargetGroupAttributes",
            () -> elb.describeTargetGroupAttributes(r -> r.targetGroupArn(arn)).attributes())
        .stream()
        .collect(
            Collectors.toMap(TargetGroupAttribute::key, a -> a.value() == null ? "" : a.value()));
  }

  @Override
  public int healthyTargets(String arn) {
    return (int)
        AwsErrors.call(
                "DescribeTargetHealth",
                () ->
                    elb.describeTargetHealth(r -> r.targetGroupArn(arn)).targetHealthDescriptions())
            .stream()
            .filter(
                h ->
                    h.targetHealth() != null
                        && h.targetHealth().state() == TargetHealthStateEnum.HEALTHY)
            .count();
  }

  @Override
  public Optional<ObservedTargetGroup> find(String name) {
    return findHead(name)
        .map(
            h ->
                new ObservedTargetGroup(
                    h.arn(),
                    h.config(),
                    AwsLoadBalancers.tags(elb, List.of(h.arn())).getOrDefault(h.arn(), Map.of()),
                    healthyTargets(h.arn()),
                    attributes(h.arn())));
  }

  @Override
  public Optional<TargetGroupHead> findHead(String name) {
    return AwsErrors.describe(
            "DescribeTargetGroups",
            () -> elb.describeTargetGroups(r -> r.names(name)).targetGroups())
        .stream()
        .findFirst()
        .map(tg -> new TargetGroupHead(tg.targetGroupArn(), toConfig(tg)));
  }

  @Override
  public TargetGroupHead create(TargetGroupConfig c, Map<String, String> tags) {
    HealthCheckConfig hc = c.healthCheck();
    return AwsErrors.call(
        "CreateTargetGroup",
        () ->
            elb
                .createTargetGroup(
                    r ->
                        r.name(c.name())
                            .protocol(c.protocol())
                            .port(c.port())
                            .vpcId(c.vpcId())
                            .targetType(TargetTypeEnum.INSTANCE)
                            .healthCheckEnabled(true)
                            .healthCheckProtocol(c.protocol())
                            .healthCheckPath(hc.path())
                            .healthCheckIntervalSeconds(hc.intervalSeconds())
                            .healthCheckTimeoutSeconds(hc.timeoutSeconds())
                            .healthyThresholdCount(hc.healthyThreshold())
                            .unhealthyThresholdCount(hc.unhealthyThreshold())
                            .matcher(Matcher.builder().httpCode(hc.matcher()).build())
                            .tags(AwsTags.toElb(tags)))
                .targetGroups()
                .stream()
                .map(tg -> new TargetGroupHead(tg.targetGroupArn(), toConfig(tg)))
                .findFirst()
                .orElseThrow());
  }

  @Override
  public void modifyHealthCheck(String arn, HealthCheckConfig hc) {
    AwsErrors.run(
        "ModifyTargetGroup",
        () ->
            elb.modifyTargetGroup(
                r ->
                    r.targetGroupArn(arn)
                        .healthCheckPath(hc.path())
                        .healthCheckIntervalSeconds(hc.intervalSeconds())
                        .healthCheckTimeoutSeconds(hc.timeoutSeconds())
                        .healthyThresholdCount(hc.healthyThreshold())
                        .unhealthyThresholdCount(hc.unhealthyThreshold())
                        .matcher(Matcher.builder().httpCode(hc.matcher()).build())));
  }

  @Override
  public void modifyAttributes(String arn, Map<String, String> attributes) {
    AwsErrors.run(
        "ModifyTargetGroupAttributes",
        () ->
            elb.modifyTargetGroupAttributes(
                r ->
                    r.targetGroupArn(arn)
                        .attributes(
                            attributes.entrySet().stream()
                                .map(
                                    e ->
                                        TargetGroupAttribute.builder()
                                            .key(e.getKey())
                                            .value(e.getValue())
                                            .build())
                                .toList())));
  }

  @Override
  public void retag(String arn, TagChange change) {
    AwsLoadBalancers.retag(elb, arn, change);
  }

  @Override
  public void delete(String arn) {
    AwsErrors.delete("DeleteTargetGroup", () -> elb.deleteTargetGroup(r -> r.targetGroupArn(arn)));
  }

  static TargetGroupConfig toConfig(TargetGroup tg) {
    return new TargetGroupConfig(
        tg.targetGroupName(),
        tg.protocolAsString(),
        tg.port() == null ? 0 : tg.port(),
        tg.vpcId(),
        new HealthCheckConfig(
            tg.healthCheckPath(),
            orZero(tg.healthCheckIntervalSeconds()),
            orZero(tg.healthCheckTimeoutSeconds()),
            orZero(tg.healthyThresholdCount()),
            orZero(tg.unhealthyThresholdCount()),
            tg.matcher() == null ? null : tg.matcher().httpCode()));
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
