package io.scalableapp.operator.cloud.aws;

import static io.scalableapp.operator.cloud.aws.AwsUnemulatedCallsTest.ASG_NS;
import static io.scalableapp.operator.cloud.aws.AwsUnemulatedCallsTest.EC2_NS;
import static io.scalableapp.operator.cloud.aws.AwsUnemulatedCallsTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.ScalingPolicyConfig;
import io.scalableapp.operator.cloud.TargetGroupHead;
import io.scalableapp.operator.cloud.aws.AwsUnemulatedCallsTest.Stub;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The region-wide listings moto answers in one piece (DescribeLaunchTemplates, DescribePolicies,
 * DescribeTargetGroups), against the answers AWS's API references document: each asks for the page
 * size, sends the filter, and follows the page token to the last page.
 */
class AwsListingPagesTest {
  static final String ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

  Stub stub;
  Ec2Client ec2;
  AutoScalingClient asg;
  ElasticLoadBalancingV2Client elb;

  @BeforeEach
  void start() throws IOException {
    stub = new Stub();
    URI endpoint = URI.create("http://127.0.0.1:" + stub.port());
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    ClientOverrideConfiguration noRetries =
        ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(10))
            .build();
    ec2 =
        Ec2Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .build();
    asg =
        AutoScalingClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .build();
    elb =
        ElasticLoadBalancingV2Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .build();
  }

  @AfterEach
  void stop() {
    ec2.close();
    asg.close();
    elb.close();
    stub.close();
    assertThat(stub.failures).isEmpty();
  }

  @Test
  void launchTemplatesAreListedByTheManagedByTagPageByPage() {
    stub.respond(
        r ->
            ok(
                r.form().containsKey("NextToken")
                    ? templatesPage("lt-0000000000000002b", null)
                    : templatesPage("lt-0000000000000001a", "page-2")));

    List<ObservedLaunchTemplate> listed = new AwsLaunchTemplates(ec2, 1).listManaged();

    assertThat(listed)
        .extracting(ObservedLaunchTemplate::id)
        .containsExactly("lt-0000000000000001a", "lt-0000000000000002b");
    assertThat(listed.get(0).tags()).containsEntry("scalableapp.io/owner", "shop/web");
    assertThat(listed.get(0).latestData()).as("version data is read per version").isNull();
    assertThat(stub.requests).hasSize(2);
    assertThat(stub.requests.get(0).form())
        .containsEntry("Action", "DescribeLaunchTemplates")
        .containsEntry("Filter.1.Name", "tag:scalableapp.io/managed-by")
        .containsEntry("Filter.1.Value.1", "scalableapp-operator")
        .containsEntry("MaxResults", "1")
        .doesNotContainKey("NextToken");
    assertThat(stub.requests.get(1).form()).containsEntry("NextToken", "page-2");
  }

  @Test
  void policiesAreListedPageByPageByGroup() {
    stub.respond(
        r ->
            ok(
                r.form().containsKey("NextToken")
                    ? policiesPage("web-2", null)
                    : policiesPage("web-1", "page-2")));

    var listed = new AwsAutoScalingGroups(asg, 1).listPolicies();

    assertThat(listed)
        .containsOnlyKeys("web-1", "web-2")
        .containsEntry("web-1", List.of(new ScalingPolicyConfig("cpu", 50.0, 120, false)));
    assertThat(stub.requests.get(0).form())
        .containsEntry("Action", "DescribePolicies")
        .containsEntry("MaxRecords", "1");
    assertThat(stub.requests.get(1).form()).containsEntry("NextToken", "page-2");
  }

  @Test
  void targetGroupsAreListedPageByPage() {
    stub.respond(
        r ->
            ok(
                r.form().containsKey("Marker")
                    ? targetGroupsPage("web-2", null)
                    : targetGroupsPage("web-1", "page-2")));

    List<TargetGroupHead> listed = new AwsTargetGroups(elb, 1).list();

    assertThat(listed).extracting(h -> h.config().name()).containsExactly("web-1", "web-2");
    assertThat(listed.get(0).config().healthCheck().path()).isEqualTo("/health");
    assertThat(stub.requests.get(0).form())
        .containsEntry("Action", "DescribeTargetGroups")
        .containsEntry("PageSize", "1");
    assertThat(stub.requests.get(1).form()).containsEntry("Marker", "page-2");
  }

  /** API_DescribeLaunchTemplates, "Example 1" response, one template a page. */
  static String templatesPage(String id, String next) {
    return """
        <DescribeLaunchTemplatesResponse xmlns="%s">
            <requestId>1afa6e44-eb38-4229-8db6-d5eaexample</requestId>
            <launchTemplates>
                <item>
                    <createTime>2017-10-31T11:38:52.000Z</createTime>
                    <createdBy>arn:aws:iam::123456789012:root</createdBy>
                    <defaultVersionNumber>1</defaultVersionNumber>
                    <latestVersionNumber>2</latestVersionNumber>
                    <launchTemplateId>%s</launchTemplateId>
                    <launchTemplateName>sapp-shop-web-%s</launchTemplateName>
                    <tagSet>
                        <item><key>scalableapp.io/owner</key><value>shop/web</value></item>
                        <item><key>scalableapp.io/managed-by</key><value>scalableapp-operator</value></item>
                    </tagSet>
                </item>
            </launchTemplates>
            %s
        </DescribeLaunchTemplatesResponse>
        """
        .formatted(EC2_NS, id, id, next == null ? "" : "<nextToken>" + next + "</nextToken>");
  }

  /** API_DescribePolicies, "Sample Response" with a target-tracking policy per page. */
  static String policiesPage(String group, String next) {
    return """
        <DescribePoliciesResponse xmlns="%s">
          <DescribePoliciesResult>
            <ScalingPolicies>
              <member>
                <AutoScalingGroupName>%s</AutoScalingGroupName>
                <PolicyName>cpu</PolicyName>
                <PolicyARN>arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:c322761b-3172-4d56-9a21-0ed9d6161d67:autoScalingGroupName/%s:policyName/cpu</PolicyARN>
                <PolicyType>TargetTrackingScaling</PolicyType>
                <EstimatedInstanceWarmup>120</EstimatedInstanceWarmup>
                <TargetTrackingConfiguration>
                  <PredefinedMetricSpecification>
                    <PredefinedMetricType>ASGAverageCPUUtilization</PredefinedMetricType>
                  </PredefinedMetricSpecification>
                  <TargetValue>50.0</TargetValue>
                  <DisableScaleIn>false</DisableScaleIn>
                </TargetTrackingConfiguration>
                <Alarms/>
                <Enabled>true</Enabled>
              </member>
            </ScalingPolicies>
            %s
          </DescribePoliciesResult>
          <ResponseMetadata>
            <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
          </ResponseMetadata>
        </DescribePoliciesResponse>
        """
        .formatted(ASG_NS, group, group, next == null ? "" : "<NextToken>" + next + "</NextToken>");
  }

  /** API_DescribeTargetGroups, "Example" response, one target group a page. */
  static String targetGroupsPage(String name, String next) {
    return """
        <DescribeTargetGroupsResponse xmlns="%s">
          <DescribeTargetGroupsResult>
            <TargetGroups>
              <member>
                <TargetGroupArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/%s/73e2d6bc24d8a067</TargetGroupArn>
                <TargetGroupName>%s</TargetGroupName>
                <Protocol>HTTP</Protocol>
                <Port>80</Port>
                <VpcId>vpc-3ac0fb5f</VpcId>
                <HealthCheckProtocol>HTTP</HealthCheckProtocol>
                <HealthCheckPort>traffic-port</HealthCheckPort>
                <HealthCheckEnabled>true</HealthCheckEnabled>
                <HealthCheckIntervalSeconds>30</HealthCheckIntervalSeconds>
                <HealthCheckTimeoutSeconds>5</HealthCheckTimeoutSeconds>
                <HealthyThresholdCount>5</HealthyThresholdCount>
                <UnhealthyThresholdCount>2</UnhealthyThresholdCount>
                <HealthCheckPath>/health</HealthCheckPath>
                <Matcher><HttpCode>200</HttpCode></Matcher>
                <LoadBalancerArns/>
                <TargetType>instance</TargetType>
              </member>
            </TargetGroups>
            %s
          </DescribeTargetGroupsResult>
          <ResponseMetadata>
            <RequestId>70092c0e-f3a9-11e5-ae48-cff02092876b</RequestId>
          </ResponseMetadata>
        </DescribeTargetGroupsResponse>
        """
        .formatted(ELB_NS, name, name, next == null ? "" : "<NextMarker>" + next + "</NextMarker>");
  }
}
