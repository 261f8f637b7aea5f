package io.scalableapp.operator.cloud.aws;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scalableapp.operator.cloud.AutoScalingGroups;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.GroupUpdate;
import io.scalableapp.operator.cloud.InstancesPolicy;
import io.scalableapp.operator.cloud.ObservedRefresh;
import io.scalableapp.operator.cloud.ObservedWarmPool;
import io.scalableapp.operator.cloud.RefreshPreferences;
import io.scalableapp.operator.cloud.RefreshStatus;
import io.scalableapp.operator.cloud.WarmPoolConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
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

/**
 * The six calls moto does not emulate (DescribeInstanceRefreshes, StartInstanceRefresh,
 * CancelInstanceRefresh, RollbackInstanceRefresh, ModifyLaunchTemplate,
 * DeleteLaunchTemplateVersions), and the parts of calls moto ignores (UpdateAutoScalingGroup's
 * MixedInstancesPolicy and CapacityRebalance, InstanceRequirements), driven through the real SDK
 * clients against a local HTTP stub. The stub records what the SDK puts on the wire and answers
 * with the XML the AWS API references document, so each test checks both halves of an adapter: the
 * request it makes (action and every parameter) and how it reads AWS's answer.
 *
 * <p>Both services speak a form-encoded query protocol on POST / - Auto Scaling awsQuery
 * (Version=2011-01-01), EC2 ec2Query (Version=2016-11-15) - which every test asserts, so an SDK
 * upgrade that moved either service to a JSON protocol fails here instead of against AWS.
 */
class AwsUnemulatedCallsTest {
  static final String GROUP = "web-asg";
  static final String TEMPLATE = "lt-0a20c965061f64abc";
  static final String ASG_VERSION = "2011-01-01";
  static final String EC2_VERSION = "2016-11-15";
  // Real Auto Scaling answers in the http:// namespace (the API reference samples print https://);
  // the SDK ignores the namespace either way.
  static final String ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
  static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  Stub stub;
  AutoScalingClient asgClient;
  Ec2Client ec2Client;
  AwsAutoScalingGroups groups;
  AwsLaunchTemplates templates;

  @BeforeEach
  void start() throws IOException {
    stub = new Stub();
    URI endpoint = URI.create("http://127.0.0.1:" + stub.port());
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    // No retries: an error answer must reach the adapter after exactly one request, which the
    // error tests assert, and they stay fast.
    ClientOverrideConfiguration noRetries =
        ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(10))
            .build();
    asgClient =
        AutoScalingClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .build();
    ec2Client =
        Ec2Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration(noRetries)
            .build();
    groups = new AwsAutoScalingGroups(asgClient);
    templates = new AwsLaunchTemplates(ec2Client);
  }

  @AfterEach
  void stop() {
    asgClient.close();
    ec2Client.close();
    stub.close();
    // A request the stub could not decode is a protocol surprise, whatever the test asserted.
    assertThat(stub.failures).isEmpty();
  }

  // --- StartInstanceRefresh -----------------------------------------------------------------

  @Test
  void startRefreshSendsRollingStrategyTargetVersionAndEveryPreference() {
    stub.respond(r -> ok(startRefreshResponse("ccfd3c2f-edb3-470d-af32-52cc57d201ca")));

    String id =
        groups.startRefresh(GROUP, TEMPLATE, 7, new RefreshPreferences(90, 120, 300, true, true));

    assertThat(id).isEqualTo("ccfd3c2f-edb3-470d-af32-52cc57d201ca");
    assertAsgCall(
        stub.only(),
        "StartInstanceRefresh",
        entry("AutoScalingGroupName", GROUP),
        entry("Strategy", "Rolling"),
        entry("DesiredConfiguration.LaunchTemplate.LaunchTemplateId", TEMPLATE),
        // A numbered version, never $Latest/$Default: AWS refuses to roll back those.
        entry("DesiredConfiguration.LaunchTemplate.Version", "7"),
        entry("Preferences.MinHealthyPercentage", "90"),
        entry("Preferences.MaxHealthyPercentage", "120"),
        entry("Preferences.InstanceWarmup", "300"),
        entry("Preferences.SkipMatching", "true"),
        entry("Preferences.AutoRollback", "true"));
  }

  static final InstancesPolicy WEIGHTED_SPOT =
      new InstancesPolicy(
          List.of(
              new InstancesPolicy.TypeOverride("m6i.large", 1),
              new InstancesPolicy.TypeOverride("m6i.xlarge", 2)),
          null,
          1,
          25,
          "price-capacity-optimized");

  static final InstancesPolicy GRAVITON =
      new InstancesPolicy(
          List.of(),
          new InstancesPolicy.Requirements(
              2, 4, 4096, null, List.of("amazon-web-services"), null, List.of("a1.*"), "included"),
          0,
          0,
          "capacity-optimized");

  @Test
  void startRefreshCarriesTheMixedInstancesPolicyInItsDesiredConfiguration() {
    // API_StartInstanceRefresh: DesiredConfiguration.MixedInstancesPolicy, which AWS puts into the
    // group when the refresh succeeds (moto has no instance refresh).
    stub.respond(r -> ok(startRefreshResponse("r-mixed")));

    groups.startRefresh(
        GROUP, TEMPLATE, 7, WEIGHTED_SPOT, new RefreshPreferences(90, 100, null, false, true));

    String p = "DesiredConfiguration.MixedInstancesPolicy.";
    assertAsgCall(
        stub.only(),
        "StartInstanceRefresh",
        entry("AutoScalingGroupName", GROUP),
        entry("Strategy", "Rolling"),
        entry(p + "LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId", TEMPLATE),
        entry(p + "LaunchTemplate.LaunchTemplateSpecification.Version", "7"),
        entry(p + "LaunchTemplate.Overrides.member.1.InstanceType", "m6i.large"),
        entry(p + "LaunchTemplate.Overrides.member.1.WeightedCapacity", "1"),
        entry(p + "LaunchTemplate.Overrides.member.2.InstanceType", "m6i.xlarge"),
        entry(p + "LaunchTemplate.Overrides.member.2.WeightedCapacity", "2"),
        entry(p + "InstancesDistribution.OnDemandBaseCapacity", "1"),
        entry(p + "InstancesDistribution.OnDemandPercentageAboveBaseCapacity", "25"),
        entry(p + "InstancesDistribution.SpotAllocationStrategy", "price-capacity-optimized"),
        entry("Preferences.MinHealthyPercentage", "90"),
        entry("Preferences.MaxHealthyPercentage", "100"),
        entry("Preferences.SkipMatching", "false"),
        entry("Preferences.AutoRollback", "true"));
  }

  @Test
  void updateSetsTheWholeLaunchConfigurationThroughAttributeBasedSelection() {
    // moto's UpdateAutoScalingGroup ignores MixedInstancesPolicy and CapacityRebalance, and its
    // answers leave InstanceRequirements out: the request is checked against
    // API_InstanceRequirements.
    stub.respond(r -> ok(updateGroupResponse()));

    groups.update(
        new GroupUpdate(GROUP, null, null, null, null, TEMPLATE, 9L, null, GRAVITON, true));

    String p = "MixedInstancesPolicy.LaunchTemplate.";
    String q = p + "Overrides.member.1.InstanceRequirements.";
    assertAsgCall(
        stub.only(),
        "UpdateAutoScalingGroup",
        entry("AutoScalingGroupName", GROUP),
        entry(p + "LaunchTemplateSpecification.LaunchTemplateId", TEMPLATE),
        entry(p + "LaunchTemplateSpecification.Version", "9"),
        entry(q + "VCpuCount.Min", "2"),
        entry(q + "VCpuCount.Max", "4"),
        entry(q + "MemoryMiB.Min", "4096"),
        entry(q + "CpuManufacturers.member.1", "amazon-web-services"),
        entry(q + "ExcludedInstanceTypes.member.1", "a1.*"),
        entry(q + "BurstablePerformance", "included"),
        entry("MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity", "0"),
        entry(
            "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity", "0"),
        entry(
            "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy",
            "capacity-optimized"),
        entry("CapacityRebalance", "true"));
  }

  @Test
  void updateBackToTheTemplateAloneNamesTheTemplate() {
    // API_UpdateAutoScalingGroup: a LaunchTemplate replaces the group's mixed instances policy.
    stub.respond(r -> ok(updateGroupResponse()));

    groups.update(new GroupUpdate(GROUP, null, null, null, null, TEMPLATE, 10L, null, null, false));

    assertAsgCall(
        stub.only(),
        "UpdateAutoScalingGroup",
        entry("AutoScalingGroupName", GROUP),
        entry("LaunchTemplate.LaunchTemplateId", TEMPLATE),
        entry("LaunchTemplate.Version", "10"),
        entry("CapacityRebalance", "false"));
  }

  @Test
  void aRefreshTowardAMixedPolicyReportsItsVersionAndPolicy() {
    String member =
        refreshMember("r-mixed", "InProgress", null, "2024-05-02T09:00:00Z", null, 10, 4, null)
            .replace(
                "<Preferences>",
                "<DesiredConfiguration><MixedInstancesPolicy><LaunchTemplate>"
                    + "<LaunchTemplateSpecification>"
                    + element("LaunchTemplateId", TEMPLATE)
                    + element("Version", "7")
                    + "</LaunchTemplateSpecification><Overrides>"
                    + "<member><InstanceType>m6i.large</InstanceType>"
                    + "<WeightedCapacity>1</WeightedCapacity></member>"
                    + "<member><InstanceType>m6i.xlarge</InstanceType>"
                    + "<WeightedCapacity>2</WeightedCapacity></member>"
                    + "</Overrides></LaunchTemplate><InstancesDistribution>"
                    + element("OnDemandAllocationStrategy", "prioritized")
                    + element("OnDemandBaseCapacity", "1")
                    + element("OnDemandPercentageAboveBaseCapacity", "25")
                    + element("SpotAllocationStrategy", "price-capacity-optimized")
                    + "</InstancesDistribution></MixedInstancesPolicy></DesiredConfiguration>"
                    + "<Preferences>");
    stub.respond(r -> ok(describeRefreshesResponse(member)));

    ObservedRefresh r = groups.refreshes(GROUP).get(0);

    assertThat(r.targetVersion()).isEqualTo(7L);
    assertThat(r.targetPolicy()).isEqualTo(WEIGHTED_SPOT);
  }

  @Test
  void putWarmPoolSendsEveryFieldAndTheGroupsMaxAsMinusOne() {
    // API_PutWarmPool: MaxGroupPreparedCapacity -1 is "the group's max"; moto reads
    // ReuseOnScaleIn=false as true.
    stub.respond(r -> ok(emptyAsgResponse("PutWarmPool")));

    groups.putWarmPool(GROUP, new WarmPoolConfig(2, null, "Hibernated", false));

    assertAsgCall(
        stub.only(),
        "PutWarmPool",
        entry("AutoScalingGroupName", GROUP),
        entry("MinSize", "2"),
        entry("MaxGroupPreparedCapacity", "-1"),
        entry("PoolState", "Hibernated"),
        entry("InstanceReusePolicy.ReuseOnScaleIn", "false"));
  }

  @Test
  void aGroupIsCreatedWithItsLifecycleHooks() {
    // API_CreateAutoScalingGroup: LifecycleHookSpecificationList, so that the first instances
    // wait on the hooks too (moto ignores the list).
    stub.respond(r -> ok(emptyAsgResponse("CreateAutoScalingGroup")));

    groups.create(
        new io.scalableapp.operator.cloud.GroupConfig(
            GROUP,
            "lt-0123456789abcdef0",
            3,
            1,
            4,
            2,
            List.of("subnet-a"),
            List.of(),
            io.scalableapp.operator.cloud.HealthCheckType.EC2,
            300,
            null,
            false,
            List.of(
                io.scalableapp.operator.cloud.LifecycleHookConfig.drain(90),
                io.scalableapp.operator.cloud.LifecycleHookConfig.launch(600))),
        Map.of());

    assertAsgCall(
        stub.only(),
        "CreateAutoScalingGroup",
        entry("AutoScalingGroupName", GROUP),
        entry("LaunchTemplate.LaunchTemplateId", "lt-0123456789abcdef0"),
        entry("LaunchTemplate.Version", "3"),
        entry("MinSize", "1"),
        entry("MaxSize", "4"),
        entry("DesiredCapacity", "2"),
        entry("VPCZoneIdentifier", "subnet-a"),
        entry("HealthCheckType", "EC2"),
        entry("HealthCheckGracePeriod", "300"),
        entry("LifecycleHookSpecificationList.member.1.LifecycleHookName", "sapp-drain"),
        entry(
            "LifecycleHookSpecificationList.member.1.LifecycleTransition",
            "autoscaling:EC2_INSTANCE_TERMINATING"),
        entry("LifecycleHookSpecificationList.member.1.HeartbeatTimeout", "90"),
        entry("LifecycleHookSpecificationList.member.1.DefaultResult", "CONTINUE"),
        entry("LifecycleHookSpecificationList.member.2.LifecycleHookName", "sapp-launch"),
        entry(
            "LifecycleHookSpecificationList.member.2.LifecycleTransition",
            "autoscaling:EC2_INSTANCE_LAUNCHING"),
        entry("LifecycleHookSpecificationList.member.2.HeartbeatTimeout", "600"),
        entry("LifecycleHookSpecificationList.member.2.DefaultResult", "CONTINUE"),
        // Empty lists, as the SDK serialises them.
        entry("Tags", ""),
        entry("TargetGroupARNs", ""));
  }

  @Test
  void deleteWarmPoolForcesTheDeletionOfItsInstances() {
    stub.respond(r -> ok(emptyAsgResponse("DeleteWarmPool")));

    groups.deleteWarmPool(GROUP);

    assertAsgCall(
        stub.only(),
        "DeleteWarmPool",
        entry("AutoScalingGroupName", GROUP),
        entry("ForceDelete", "true"));
  }

  @Test
  void aWarmPoolIsReadWithItsInstancesByStateOverItsPages() {
    // API_DescribeWarmPool, shaped per its "Response Elements" (moto answers ResponseMetadata
    // first, which the SDK reads as empty).
    stub.respond(
        r ->
            ok(
                r.form().containsKey("NextToken")
                    ? describeWarmPoolResponse(null, "Warmed:Stopped", "i-0000000000000000c")
                    : describeWarmPoolResponse(
                        "page-2",
                        "Warmed:Pending",
                        "i-0000000000000000a",
                        "Warmed:Stopped",
                        "i-0000000000000000b")));

    ObservedWarmPool pool = groups.warmPool(GROUP).orElseThrow();

    assertThat(stub.requests).hasSize(2);
    assertAsgCall(
        stub.requests.get(0),
        "DescribeWarmPool",
        entry("AutoScalingGroupName", GROUP),
        entry("MaxRecords", "50"));
    assertThat(pool.config()).isEqualTo(new WarmPoolConfig(1, null, "Stopped", true));
    assertThat(pool.size()).isEqualTo(3);
    assertThat(pool.deleting()).isTrue();
    assertThat(pool.byState()).containsOnly(entry("Warmed:Pending", 1), entry("Warmed:Stopped", 2));
  }

  @Test
  void startRefreshOmitsInstanceWarmupWhenUnset() {
    stub.respond(r -> ok(startRefreshResponse("r-2")));

    String id =
        groups.startRefresh(
            GROUP, TEMPLATE, 12, new RefreshPreferences(100, 110, null, false, false));

    assertThat(id).isEqualTo("r-2");
    // Left out, AWS uses the group's default instance warmup, else its health check grace period
    // (API_RefreshPreferences); any value sent, 0 included, would override that.
    assertAsgCall(
        stub.only(),
        "StartInstanceRefresh",
        entry("AutoScalingGroupName", GROUP),
        entry("Strategy", "Rolling"),
        entry("DesiredConfiguration.LaunchTemplate.LaunchTemplateId", TEMPLATE),
        entry("DesiredConfiguration.LaunchTemplate.Version", "12"),
        entry("Preferences.MinHealthyPercentage", "100"),
        entry("Preferences.MaxHealthyPercentage", "110"),
        entry("Preferences.SkipMatching", "false"),
        entry("Preferences.AutoRollback", "false"));
  }

  @Test
  void startRefreshWhileOneIsActiveFailsWithAwsCodeAndMessage() {
    // API_StartInstanceRefresh "Errors": InstanceRefreshInProgress, HTTP 400.
    stub.respond(
        r ->
            asgError(
                400,
                "InstanceRefreshInProgress",
                "The request failed because an active instance refresh already exists for the"
                    + " specified Auto Scaling group."));

    assertThatThrownBy(
            () ->
                groups.startRefresh(
                    GROUP, TEMPLATE, 8, new RefreshPreferences(90, 100, 60, true, false)))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.code()).isEqualTo("InstanceRefreshInProgress");
              assertThat(e.awsMessage())
                  .startsWith("The request failed because an active instance");
              assertThat(e.getMessage())
                  .startsWith("StartInstanceRefresh: InstanceRefreshInProgress: ");
            });
    assertThat(stub.requests).hasSize(1);
    assertThat(stub.only().form()).containsEntry("Action", "StartInstanceRefresh");
  }

  @Test
  void startRefreshWhileOneIsActiveIsInUse() {
    stub.respond(r -> asgError(400, "InstanceRefreshInProgress", "An instance refresh is active."));

    assertThatThrownBy(
            () ->
                groups.startRefresh(
                    GROUP, TEMPLATE, 8, new RefreshPreferences(90, 100, 60, true, false)))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IN_USE));
  }

  // --- DescribeScalingActivities (moto answers an empty list) --------------------------------

  @Test
  void activitiesMapAwsFailureMessagesNewestFirst() {
    // Shape of the API reference's DescribeScalingActivities example (API_Activity members).
    stub.respond(
        r ->
            ok(
                """
                <DescribeScalingActivitiesResponse xmlns="%s">
                  <DescribeScalingActivitiesResult>
                    <Activities>
                      <member>
                        <ActivityId>f9f2d65b-f1f2-43e7-b46d-d86756459699</ActivityId>
                        <AutoScalingGroupName>%s</AutoScalingGroupName>
                        <Description>Launching a new EC2 instance: i-0d44425630326060f</Description>
                        <Cause>At 2024-05-01T12:00:00Z a user request created an AutoScalingGroup.</Cause>
                        <StartTime>2024-05-01T12:00:05Z</StartTime>
                        <EndTime>2024-05-01T12:00:45Z</EndTime>
                        <StatusCode>Successful</StatusCode>
                        <Progress>100</Progress>
                      </member>
                      <member>
                        <ActivityId>a5a2b3a4-0f44-4b0b-8e0c-1b2c3d4e5f60</ActivityId>
                        <AutoScalingGroupName>%s</AutoScalingGroupName>
                        <Description>Launching a new EC2 instance.  Status Reason: The key pair 'ops' does not exist. Launching EC2 instance failed.</Description>
                        <Cause>At 2024-05-02T09:00:00Z an instance was started in response to a difference between desired and actual capacity.</Cause>
                        <StartTime>2024-05-02T09:00:10Z</StartTime>
                        <EndTime>2024-05-02T09:00:11Z</EndTime>
                        <StatusCode>Failed</StatusCode>
                        <StatusMessage>The key pair 'ops' does not exist. Launching EC2 instance failed.</StatusMessage>
                        <Progress>100</Progress>
                      </member>
                    </Activities>
                  </DescribeScalingActivitiesResult>
                  <ResponseMetadata>
                    <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
                  </ResponseMetadata>
                </DescribeScalingActivitiesResponse>
                """
                    .formatted(ASG_NS, GROUP, GROUP)));

    var activities = groups.activities(GROUP);

    assertAsgCall(
        stub.only(),
        "DescribeScalingActivities",
        entry("AutoScalingGroupName", GROUP),
        entry("MaxRecords", String.valueOf(AutoScalingGroups.ACTIVITY_HISTORY)));
    assertThat(activities).hasSize(2);
    assertThat(activities.get(0).failed()).isTrue();
    assertThat(activities.get(0).statusMessage())
        .isEqualTo("The key pair 'ops' does not exist. Launching EC2 instance failed.");
    assertThat(activities.get(0).startTime()).isEqualTo(Instant.parse("2024-05-02T09:00:10Z"));
    assertThat(activities.get(1).status()).isEqualTo("Successful");
  }

  // --- DescribeInstanceRefreshes ------------------------------------------------------------

  @Test
  void refreshesMapEveryFieldNewestFirst() {
    // Listed oldest first on purpose: the API reference says AWS sorts by creation time,
    // descending, and the adapter must not depend on it.
    stub.respond(
        r ->
            ok(
                describeRefreshesResponse(
                    refreshMember(
                        "r-no-config",
                        "Successful",
                        null,
                        "2024-04-30T08:00:00Z",
                        "2024-04-30T08:20:00Z",
                        100,
                        0,
                        null),
                    refreshMember(
                        "r-failed",
                        "Failed",
                        "Instance refresh failed: 1 instance(s) failed to launch.",
                        "2024-05-01T10:00:00Z",
                        "2024-05-01T10:30:00Z",
                        40,
                        3,
                        "2"),
                    refreshMember(
                        "r-latest",
                        "Successful",
                        null,
                        "2024-05-01T12:00:00Z",
                        "2024-05-01T12:10:00Z",
                        100,
                        0,
                        "$Latest"),
                    refreshMember(
                        "r-active",
                        "InProgress",
                        "Waiting for instances to warm up before continuing. For example:"
                            + " i-0645704820a8e83ff is warming up.",
                        "2024-05-02T09:00:00Z",
                        null,
                        50,
                        2,
                        "3"))));

    List<ObservedRefresh> refreshes = groups.refreshes(GROUP);

    assertAsgCall(
        stub.only(),
        "DescribeInstanceRefreshes",
        entry("AutoScalingGroupName", GROUP),
        entry("MaxRecords", String.valueOf(AutoScalingGroups.REFRESH_HISTORY)));
    assertThat(refreshes)
        .containsExactly(
            new ObservedRefresh(
                "r-active",
                RefreshStatus.InProgress,
                "Waiting for instances to warm up before continuing. For example:"
                    + " i-0645704820a8e83ff is warming up.",
                50,
                2,
                3L,
                Instant.parse("2024-05-02T09:00:00Z"),
                null),
            // $Latest is not a version the planner can compare with its own.
            new ObservedRefresh(
                "r-latest",
                RefreshStatus.Successful,
                null,
                100,
                0,
                null,
                Instant.parse("2024-05-01T12:00:00Z"),
                Instant.parse("2024-05-01T12:10:00Z")),
            new ObservedRefresh(
                "r-failed",
                RefreshStatus.Failed,
                "Instance refresh failed: 1 instance(s) failed to launch.",
                40,
                3,
                2L,
                Instant.parse("2024-05-01T10:00:00Z"),
                Instant.parse("2024-05-01T10:30:00Z")),
            new ObservedRefresh(
                "r-no-config",
                RefreshStatus.Successful,
                null,
                100,
                0,
                null,
                Instant.parse("2024-04-30T08:00:00Z"),
                Instant.parse("2024-04-30T08:20:00Z")));
    assertThat(refreshes.get(0).active()).isTrue();
  }

  @Test
  void refreshesOfAGroupThatNeverRefreshedAreEmpty() {
    stub.respond(r -> ok(describeRefreshesResponse()));

    assertThat(groups.refreshes(GROUP)).isEmpty();
    assertThat(stub.only().form()).containsEntry("Action", "DescribeInstanceRefreshes");
  }

  // --- CancelInstanceRefresh ----------------------------------------------------------------

  @Test
  void cancelRefreshSendsTheGroupName() {
    stub.respond(r -> ok(refreshIdResponse("CancelInstanceRefresh", "r-active")));

    assertThatCode(() -> groups.cancelRefresh(GROUP)).doesNotThrowAnyException();

    assertAsgCall(stub.only(), "CancelInstanceRefresh", entry("AutoScalingGroupName", GROUP));
  }

  @Test
  void cancelRefreshWithNothingActiveIsDone() {
    // API_CancelInstanceRefresh: "If an instance refresh or rollback is not in progress, an
    // ActiveInstanceRefreshNotFound error occurs" (HTTP 400). The goal - nothing running - holds.
    stub.respond(
        r ->
            asgError(
                400,
                "ActiveInstanceRefreshNotFound",
                "The request failed because an active instance refresh or rollback for the"
                    + " specified Auto Scaling group was not found."));

    assertThatCode(() -> groups.cancelRefresh(GROUP)).doesNotThrowAnyException();

    assertAsgCall(stub.only(), "CancelInstanceRefresh", entry("AutoScalingGroupName", GROUP));
  }

  @Test
  void cancelRefreshRethrowsOtherErrors() {
    stub.respond(
        r ->
            asgError(
                403,
                "AccessDenied",
                "User: arn:aws:iam::123456789012:user/operator is not authorized to perform:"
                    + " autoscaling:CancelInstanceRefresh"));

    assertThatThrownBy(() -> groups.cancelRefresh(GROUP))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
              assertThat(e.code()).isEqualTo("AccessDenied");
              assertThat(e.getMessage()).startsWith("CancelInstanceRefresh: AccessDenied: ");
            });
    assertThat(stub.requests).hasSize(1);
  }

  // --- RollbackInstanceRefresh --------------------------------------------------------------

  @Test
  void rollbackRefreshSendsTheGroupName() {
    stub.respond(r -> ok(refreshIdResponse("RollbackInstanceRefresh", "r-rollback")));

    assertThatCode(() -> groups.rollbackRefresh(GROUP)).doesNotThrowAnyException();

    assertAsgCall(stub.only(), "RollbackInstanceRefresh", entry("AutoScalingGroupName", GROUP));
  }

  @Test
  void rollbackRefreshReportsAnIrreversibleRefresh() {
    // API_RollbackInstanceRefresh "Errors": IrreversibleInstanceRefresh (HTTP 400) when the
    // refresh has no desired configuration or the group uses $Latest/$Default - a spec problem,
    // not something waiting fixes.
    stub.respond(
        r ->
            asgError(
                400,
                "IrreversibleInstanceRefresh",
                "The request failed because a desired configuration was not found or an"
                    + " incompatible launch template is present on the Auto Scaling group."));

    assertThatThrownBy(() -> groups.rollbackRefresh(GROUP))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
              assertThat(e.code()).isEqualTo("IrreversibleInstanceRefresh");
            });
    assertAsgCall(stub.only(), "RollbackInstanceRefresh", entry("AutoScalingGroupName", GROUP));
  }

  // --- ModifyLaunchTemplate -----------------------------------------------------------------

  @Test
  void setDefaultVersionSendsTheTemplateAndVersion() {
    stub.respond(r -> ok(modifyLaunchTemplateResponse(TEMPLATE, 4, 6)));

    assertThatCode(() -> templates.setDefaultVersion(TEMPLATE, 4)).doesNotThrowAnyException();

    Request r = stub.only();
    // ClientToken is an idempotency token in the EC2 model: the SDK fills it with a fresh UUID
    // when the caller gives none (API_ModifyLaunchTemplate: "a randomly generated token is used").
    assertThat(r.form().get("ClientToken"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // The SDK member is DefaultVersion, but its wire name (API_ModifyLaunchTemplate request
    // parameters) is SetDefaultVersion.
    assertEc2Call(
        r.without("ClientToken"),
        "ModifyLaunchTemplate",
        entry("LaunchTemplateId", TEMPLATE),
        entry("SetDefaultVersion", "4"));
  }

  @Test
  void setDefaultVersionOfAMissingTemplateIsNotFound() {
    stub.respond(
        r ->
            ec2Error(
                400,
                "InvalidLaunchTemplateId.NotFound",
                "The specified launch template, with template ID "
                    + TEMPLATE
                    + ", does not exist."));

    assertThatThrownBy(() -> templates.setDefaultVersion(TEMPLATE, 4))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
              assertThat(e.code()).isEqualTo("InvalidLaunchTemplateId.NotFound");
              assertThat(e.getMessage()).startsWith("ModifyLaunchTemplate: ");
            });
    assertThat(stub.requests).hasSize(1);
  }

  // --- DescribeLaunchTemplateVersions of older versions ------------------------------------

  @Test
  void olderVersionsAreReadInOneCallWithTheirTagSpecifications() {
    stub.respond(r -> ok(describeVersionsResponse(3, 7)));

    var versions = templates.versions(TEMPLATE, List.of(3L, 7L));

    assertEc2Call(
        stub.only(),
        "DescribeLaunchTemplateVersions",
        entry("LaunchTemplateId", TEMPLATE),
        entry("LaunchTemplateVersion.1", "3"),
        entry("LaunchTemplateVersion.2", "7"));
    assertThat(versions).containsOnlyKeys(3L, 7L);
    assertThat(versions.get(3L).instanceType()).isEqualTo("t3.micro");
    assertThat(versions.get(3L).instanceTags()).containsExactly(entry("team", "hr"));
    assertThat(versions.get(3L).volumeTags()).containsExactly(entry("team", "hr"));
  }

  @Test
  void aVersionAwsNoLongerHasIsLeftOutNotAnError() {
    // AWS fails the whole call for one missing version (InvalidLaunchTemplateId.VersionNotFound).
    stub.respond(
        r -> {
          List<String> asked =
              r.form().entrySet().stream()
                  .filter(e -> e.getKey().startsWith("LaunchTemplateVersion."))
                  .map(Map.Entry::getValue)
                  .toList();
          return asked.contains("7")
              ? ec2Error(
                  400,
                  "InvalidLaunchTemplateId.VersionNotFound",
                  "Could not find launch template version 7 for template " + TEMPLATE)
              : ok(describeVersionsResponse(3));
        });

    var versions = templates.versions(TEMPLATE, List.of(3L, 7L));

    assertThat(versions).containsOnlyKeys(3L);
    assertThat(stub.requests).hasSize(3);
  }

  /** API_DescribeLaunchTemplateVersions, "Example 1" response, one version per number. */
  static String describeVersionsResponse(long... versions) {
    var items = new StringBuilder();
    for (long v : versions) {
      items.append(
          """
              <item>
                  <createTime>2017-10-31T11:38:52.000Z</createTime>
                  <createdBy>arn:aws:iam::123456789012:root</createdBy>
                  <defaultVersion>false</defaultVersion>
                  <launchTemplateData>
                      <imageId>ami-8c1be5f6</imageId>
                      <instanceType>t3.micro</instanceType>
                      <tagSpecificationSet>
                          <item>
                              <resourceType>instance</resourceType>
                              <tagSet><item><key>team</key><value>hr</value></item></tagSet>
                          </item>
                          <item>
                              <resourceType>volume</resourceType>
                              <tagSet><item><key>team</key><value>hr</value></item></tagSet>
                          </item>
                      </tagSpecificationSet>
                  </launchTemplateData>
                  <launchTemplateId>%s</launchTemplateId>
                  <launchTemplateName>web</launchTemplateName>
                  <versionNumber>%d</versionNumber>
              </item>
          """
              .formatted(TEMPLATE, v));
    }
    return """
        <DescribeLaunchTemplateVersionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
            <requestId>65cadec1-b364-4354-8ca8-4176dexample</requestId>
            <launchTemplateVersionSet>
        %s    </launchTemplateVersionSet>
        </DescribeLaunchTemplateVersionsResponse>
        """
        .formatted(items);
  }

  // --- DeleteLaunchTemplateVersions ---------------------------------------------------------

  @Test
  void deleteVersionsSendsAtMost200VersionsPerCall() {
    // API_DeleteLaunchTemplateVersions: "You can specify up to 200 launch template version
    // numbers." The stub reports every version it is asked for as deleted.
    stub.respond(r -> ok(deleteVersionsResponse(versionsIn(r), List.of())));
    List<Long> versions = LongStream.rangeClosed(1, 450).boxed().toList();

    assertThatCode(() -> templates.deleteVersions(TEMPLATE, versions)).doesNotThrowAnyException();

    assertThat(stub.requests).hasSize(3);
    assertDeleteVersionsCall(stub.requests.get(0), range(1, 200));
    assertDeleteVersionsCall(stub.requests.get(1), range(201, 400));
    assertDeleteVersionsCall(stub.requests.get(2), range(401, 450));
  }

  @Test
  void deleteVersionsOfNothingCallsNothing() {
    templates.deleteVersions(TEMPLATE, List.of());

    assertThat(stub.requests).isEmpty();
  }

  @Test
  void deleteVersionsCountsAnAlreadyDeletedVersionAsDone() {
    // A retried prune: version 42 went in the previous attempt.
    stub.respond(
        r ->
            ok(
                deleteVersionsResponse(
                    List.of("41", "43"),
                    List.of(
                        failedItem(
                            "42",
                            "launchTemplateVersionDoesNotExist",
                            "The specified launch template version does not exist.")))));

    assertThatCode(() -> templates.deleteVersions(TEMPLATE, List.of(41L, 42L, 43L)))
        .doesNotThrowAnyException();

    assertDeleteVersionsCall(stub.only(), List.of("41", "42", "43"));
  }

  @Test
  void deleteVersionsThrowsNamingAVersionThatCouldNotBeDeleted() {
    // unexpectedError is the documented catch-all item code; the message text is the stub's own
    // (AWS documents the codes, not the messages).
    stub.respond(
        r ->
            ok(
                deleteVersionsResponse(
                    List.of("41", "43"),
                    List.of(
                        failedItem("42", "unexpectedError", "Version 42 could not be deleted.")))));

    assertThatThrownBy(() -> templates.deleteVersions(TEMPLATE, List.of(41L, 42L, 43L)))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
              assertThat(e.code()).isEqualTo("unexpectedError");
              assertThat(e.getMessage())
                  .startsWith("DeleteLaunchTemplateVersions: unexpectedError: ")
                  .containsPattern("\\b42\\b")
                  .contains("Version 42 could not be deleted.");
            });
    assertDeleteVersionsCall(stub.only(), List.of("41", "42", "43"));
  }

  // --- request assertions -------------------------------------------------------------------

  @SafeVarargs
  static void assertAsgCall(Request r, String action, Map.Entry<String, String>... params) {
    assertQueryCall(r, "autoscaling", ASG_VERSION, action, List.of(params));
  }

  @SafeVarargs
  static void assertEc2Call(Request r, String action, Map.Entry<String, String>... params) {
    assertQueryCall(r, "ec2", EC2_VERSION, action, List.of(params));
  }

  /**
   * A signed form POST to / whose parameters are exactly Action, Version and {@code params}:
   * nothing missing, nothing extra.
   */
  static void assertQueryCall(
      Request r,
      String signingName,
      String apiVersion,
      String action,
      List<Map.Entry<String, String>> params) {
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/");
    assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(r.header("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=test/")
        .contains("/us-east-1/" + signingName + "/aws4_request");
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("Action", action);
    expected.put("Version", apiVersion);
    params.forEach(p -> expected.put(p.getKey(), p.getValue()));
    assertThat(r.form()).isEqualTo(expected);
  }

  /**
   * EC2 flattens the Versions list as LaunchTemplateVersion.1..N (API_DeleteLaunchTemplateVersions
   * request parameters), in the order given.
   */
  static void assertDeleteVersionsCall(Request r, List<String> versions) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(entry("LaunchTemplateId", TEMPLATE));
    for (int i = 0; i < versions.size(); i++) {
      params.add(entry("LaunchTemplateVersion." + (i + 1), versions.get(i)));
    }
    assertQueryCall(r, "ec2", EC2_VERSION, "DeleteLaunchTemplateVersions", params);
  }

  static List<String> versionsIn(Request r) {
    return r.form().entrySet().stream()
        .filter(e -> e.getKey().startsWith("LaunchTemplateVersion."))
        .sorted(
            (a, b) ->
                Integer.compare(
                    Integer.parseInt(a.getKey().substring("LaunchTemplateVersion.".length())),
                    Integer.parseInt(b.getKey().substring("LaunchTemplateVersion.".length()))))
        .map(Map.Entry::getValue)
        .toList();
  }

  static List<String> range(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(String::valueOf).toList();
  }

  // --- documented answers -------------------------------------------------------------------

  static Reply ok(String xml) {
    return new Reply(200, xml);
  }

  /** An Auto Scaling answer with an empty result (PutWarmPool, DeleteWarmPool). */
  static String emptyAsgResponse(String action) {
    return """
    <%1$sResponse xmlns="%2$s">
      <%1$sResult/>
      <ResponseMetadata>
        <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
      </ResponseMetadata>
    </%1$sResponse>
    """
        .formatted(action, ASG_NS);
  }

  /** API_DescribeWarmPool: a pool being deleted, with instances (state, id, state, id, ...). */
  static String describeWarmPoolResponse(String nextToken, String... stateAndId) {
    var members = new StringBuilder();
    for (int i = 0; i < stateAndId.length; i += 2) {
      members
          .append("<member>")
          .append(element("InstanceId", stateAndId[i + 1]))
          .append(element("InstanceType", "t3.micro"))
          .append(element("AvailabilityZone", "us-east-1a"))
          .append(element("LifecycleState", stateAndId[i]))
          .append(element("HealthStatus", "Healthy"))
          .append("</member>");
    }
    return """
    <DescribeWarmPoolResponse xmlns="%s">
      <DescribeWarmPoolResult>
        <WarmPoolConfiguration>
          <MaxGroupPreparedCapacity>-1</MaxGroupPreparedCapacity>
          <MinSize>1</MinSize>
          <PoolState>Stopped</PoolState>
          <Status>PendingDelete</Status>
          <InstanceReusePolicy><ReuseOnScaleIn>true</ReuseOnScaleIn></InstanceReusePolicy>
        </WarmPoolConfiguration>
        <Instances>%s</Instances>
        %s
      </DescribeWarmPoolResult>
      <ResponseMetadata>
        <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
      </ResponseMetadata>
    </DescribeWarmPoolResponse>
    """
        .formatted(ASG_NS, members, nextToken == null ? "" : element("NextToken", nextToken));
  }

  /** API_UpdateAutoScalingGroup, "Sample Response": an empty result. */
  static String updateGroupResponse() {
    return """
    <UpdateAutoScalingGroupResponse xmlns="%s">
      <ResponseMetadata>
        <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
      </ResponseMetadata>
    </UpdateAutoScalingGroupResponse>
    """
        .formatted(ASG_NS);
  }

  /** API_StartInstanceRefresh, "Sample Response". */
  static String startRefreshResponse(String id) {
    return refreshIdResponse("StartInstanceRefresh", id);
  }

  /**
   * The awsQuery wrapping shared by StartInstanceRefresh, CancelInstanceRefresh and
   * RollbackInstanceRefresh, whose results each hold just InstanceRefreshId (their API references'
   * "Response Elements").
   */
  static String refreshIdResponse(String action, String id) {
    return """
    <%1$sResponse xmlns="%2$s">
      <%1$sResult>
        <InstanceRefreshId>%3$s</InstanceRefreshId>
      </%1$sResult>
      <ResponseMetadata>
        <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
      </ResponseMetadata>
    </%1$sResponse>
    """
        .formatted(action, ASG_NS, id);
  }

  /**
   * API_DescribeInstanceRefreshes "Sample Response" with members shaped per API_InstanceRefresh.
   */
  static String describeRefreshesResponse(String... members) {
    return """
    <DescribeInstanceRefreshesResponse xmlns="%s">
      <DescribeInstanceRefreshesResult>
        <InstanceRefreshes>
    %s
        </InstanceRefreshes>
      </DescribeInstanceRefreshesResult>
      <ResponseMetadata>
        <RequestId>7c6e177f-f082-11e1-ac58-3714bEXAMPLE</RequestId>
      </ResponseMetadata>
    </DescribeInstanceRefreshesResponse>
    """
        .formatted(ASG_NS, String.join("\n", members));
  }

  /** One API_InstanceRefresh; null arguments leave their element out, as AWS does. */
  static String refreshMember(
      String id,
      String status,
      String reason,
      String start,
      String end,
      int percent,
      int toUpdate,
      String version) {
    StringBuilder m = new StringBuilder("<member>");
    m.append(element("InstanceRefreshId", id));
    m.append(element("AutoScalingGroupName", GROUP));
    m.append(element("Status", status));
    m.append(element("StatusReason", reason));
    m.append(element("StartTime", start));
    m.append(element("EndTime", end));
    m.append(element("PercentageComplete", String.valueOf(percent)));
    m.append(element("InstancesToUpdate", String.valueOf(toUpdate)));
    if (version != null) {
      m.append("<DesiredConfiguration><LaunchTemplate>")
          .append(element("LaunchTemplateId", TEMPLATE))
          .append(element("Version", version))
          .append("</LaunchTemplate></DesiredConfiguration>");
    }
    m.append("<Preferences>")
        .append(element("MinHealthyPercentage", "90"))
        .append(element("SkipMatching", "true"))
        .append("</Preferences>");
    return m.append("</member>").toString();
  }

  /** API_ModifyLaunchTemplate, "Sample Response". */
  static String modifyLaunchTemplateResponse(String id, long defaultVersion, long latestVersion) {
    return """
    <ModifyLaunchTemplateResponse xmlns="%s">
        <requestId>5b348ca5-bb13-4106-baf9-14d02example</requestId>
        <launchTemplate>
            <createTime>2024-05-01T10:00:00.000Z</createTime>
            <createdBy>arn:aws:iam::123456789012:root</createdBy>
            <defaultVersionNumber>%d</defaultVersionNumber>
            <latestVersionNumber>%d</latestVersionNumber>
            <launchTemplateId>%s</launchTemplateId>
            <launchTemplateName>web</launchTemplateName>
        </launchTemplate>
    </ModifyLaunchTemplateResponse>
    """
        .formatted(EC2_NS, defaultVersion, latestVersion, id);
  }

  /**
   * API_DeleteLaunchTemplateVersions "Sample Response"; unsuccessful items per
   * API_DeleteLaunchTemplateVersionsResponseErrorItem and API_ResponseError.
   */
  static String deleteVersionsResponse(List<String> deleted, List<String> failedItems) {
    String ok =
        deleted.stream()
            .map(
                v ->
                    "<item>"
                        + element("launchTemplateId", TEMPLATE)
                        + element("launchTemplateName", "web")
                        + element("versionNumber", v)
                        + "</item>")
            .collect(Collectors.joining("\n"));
    return """
    <DeleteLaunchTemplateVersionsResponse xmlns="%s">
        <requestId>67fc746a-1b3f-467e-8583-7061cexample</requestId>
        <unsuccessfullyDeletedLaunchTemplateVersionSet>
    %s
        </unsuccessfullyDeletedLaunchTemplateVersionSet>
        <successfullyDeletedLaunchTemplateVersionSet>
    %s
        </successfullyDeletedLaunchTemplateVersionSet>
    </DeleteLaunchTemplateVersionsResponse>
    """
        .formatted(EC2_NS, String.join("\n", failedItems), ok);
  }

  static String failedItem(String version, String code, String message) {
    return "<item>"
        + element("launchTemplateId", TEMPLATE)
        + element("launchTemplateName", "web")
        + element("versionNumber", version)
        + "<responseError>"
        + element("code", code)
        + element("message", message)
        + "</responseError></item>";
  }

  /**
   * The awsQuery error document (Smithy aws-query-protocol, "Operation error serialization"), with
   * the HTTP status the Auto Scaling API reference lists for the code.
   */
  static Reply asgError(int status, String code, String message) {
    return new Reply(
        status,
        """
        <ErrorResponse xmlns="%s">
          <Error>
            <Type>Sender</Type>
            <Code>%s</Code>
            <Message>%s</Message>
          </Error>
          <RequestId>8f0e2b6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b</RequestId>
        </ErrorResponse>
        """
            .formatted(ASG_NS, code, message));
  }

  /**
   * EC2's error document (EC2 API reference "Error codes", example error response; Smithy
   * ec2-query-protocol): Response/Errors/Error and RequestID, capital ID.
   */
  static Reply ec2Error(int status, String code, String message) {
    return new Reply(
        status,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Response>
            <Errors>
                <Error>
                    <Code>%s</Code>
                    <Message>%s</Message>
                </Error>
            </Errors>
            <RequestID>ea966190-f9aa-478e-9ede-example</RequestID>
        </Response>
        """
            .formatted(code, message));
  }

  static String element(String name, String value) {
    return value == null ? "" : "<" + name + ">" + value + "</" + name + ">";
  }

  // --- the stub -----------------------------------------------------------------------------

  /** One request as the SDK sent it, with its form body decoded. */
  record Request(
      String method,
      String path,
      Map<String, List<String>> headers,
      String body,
      Map<String, String> form) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** This request minus one form parameter, for values the SDK generates. */
    Request without(String param) {
      Map<String, String> rest = new LinkedHashMap<>(form);
      rest.remove(param);
      return new Request(method, path, headers, body, rest);
    }
  }

  record Reply(int status, String body) {}

  /** An HTTP server on 127.0.0.1 that records every request and answers as told. */
  static final class Stub implements AutoCloseable {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile Function<Request, Reply> responder =
        r -> ec2Error(500, "NoReplyConfigured", "the test set no reply");

    Stub() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void respond(Function<Request, Reply> responder) {
      this.responder = responder;
    }

    /** The single request of a test that makes one call. */
    Request only() {
      assertThat(requests).hasSize(1);
      return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
      Reply reply;
      try {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        Request request =
            new Request(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                headers,
                body,
                decodeForm(body));
        requests.add(request);
        reply = responder.apply(request);
      } catch (RuntimeException | AssertionError e) {
        failures.add(String.valueOf(e));
        reply = ec2Error(500, "StubFailure", "see the test's stub failures");
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "7c6e177f-f082-11e1-ac58-3714bEXAMPLE");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    /** A query-protocol body: key=value pairs joined by &, each form-URL-encoded, keys unique. */
    static Map<String, String> decodeForm(String body) {
      Map<String, String> form = new LinkedHashMap<>();
      if (body.isEmpty()) {
        return form;
      }
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (form.put(key, value) != null) {
          throw new IllegalStateException("parameter sent twice: " + key);
        }
      }
      return form;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
