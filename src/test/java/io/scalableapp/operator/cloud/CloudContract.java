package io.scalableapp.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.TargetGroupConfig.HealthCheckConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cloud port's contract, run against every implementation: the AWS adapters on moto
 * (AwsAdaptersIT) and the simulated cloud (SimulatedCloudContractTest), for the calls moto has, so
 * the two cannot drift apart.
 */
public abstract class CloudContract {
  static final Map<String, String> TAGS = Map.of("scalableapp.io/owner", "ns/web", "team", "hr");
  protected static final LaunchTemplateData DATA =
      new LaunchTemplateData(
          "ami-0123456789abcdef0",
          "t3.micro",
          "IyEvYmluL2Jhc2gK",
          "app-role",
          List.of("sg-0000000b", "sg-0000000a"),
          "ops",
          new LaunchTemplateData.Volume("/dev/xvda", 20, "gp3"));
  static final HealthCheckConfig HC = new HealthCheckConfig("/health", 30, 5, 3, 2, "200");

  protected Cloud cloud;
  protected String vpc;
  protected List<String> subnets;

  /** A fresh, empty cloud. */
  protected abstract CloudProvider freshCloud();

  /** A VPC with a subnet in each of two zones: {vpc, subnetA, subnetB}. */
  protected abstract List<String> network();

  /** Lets time pass so that launches and deletions finish (a no-op where they are instant). */
  protected abstract void settle();

  /** AWS's answer to an SSL policy it does not have: SSLPolicyNotFound, naming it. */
  protected void assertSslPolicyRefusal(CloudException e) {
    assertThat(e.code()).isEqualTo("SSLPolicyNotFound");
    assertThat(e.awsMessage()).contains("ELBSecurityPolicy-NoSuchPolicy");
  }

  /** The load balancer's listeners as AWS holds them. */
  protected List<ObservedLoadBalancer.Listener> listenersAsAwsHoldsThem(String loadBalancerArn) {
    return cloud.loadBalancers().listeners(loadBalancerArn);
  }

  /** An ACM certificate's ARN for this domain, one a listener can serve. */
  protected abstract String certificate(String domain);

  /** A new version of an SSM parameter, as a user (or AWS, for its public ones) puts it. */
  protected abstract void putParameter(String name, String value);

  /** The launch template's tags as AWS holds them. */
  protected Map<String, String> launchTemplateTags(String name) {
    return cloud.launchTemplates().find(name).orElseThrow().tags();
  }

  @BeforeEach
  public void reset() {
    cloud = freshCloud().forRegion(null);
    var net = network();
    vpc = net.get(0);
    subnets = net.subList(1, 3);
  }

  static final String AL2023 =
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

  @Test
  void imageParametersReadAwsPublicOnesAndLeaveOutWhatAwsDoesNotHave() {
    var values = cloud.imageParameters().values(List.of(AL2023, "/no/such/parameter"));

    assertThat(values).containsOnlyKeys(AL2023);
    assertThat(values.get(AL2023)).matches("ami-[0-9a-f]{8,17}");
  }

  @Test
  void imageParametersReadVersionsAndMoreThanTenNamesAtOnce() {
    putParameter("golden-ami", "ami-00000000000000001");
    putParameter("golden-ami", "ami-00000000000000002");
    var names = new java.util.ArrayList<String>();
    for (int i = 0; i < 11; i++) {
      names.add("/missing/" + i);
    }
    names.addAll(List.of("golden-ami", "golden-ami:1", "golden-ami:9"));

    // GetParameters takes at most ten names: the adapter asks in batches.
    var values = cloud.imageParameters().values(names);

    assertThat(values)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("golden-ami", "ami-00000000000000002", "golden-ami:1", "ami-00000000000000001"));
  }

  @Test
  void launchTemplateRoundTripsEveryManagedField() {
    assertThat(cloud.launchTemplates().find("web")).isEmpty();

    String id = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");

    var lt = cloud.launchTemplates().find("web").orElseThrow();
    assertThat(lt.id()).isEqualTo(id);
    assertThat(lt.latestVersion()).isEqualTo(1);
    assertThat(lt.tags()).containsAllEntriesOf(TAGS);
    assertThat(lt.latestData()).isEqualTo(DATA);
  }

  @Test
  void launchTemplateVersionsAreNumberedAndIdempotentPerToken() {
    String id = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    var small =
        new LaunchTemplateData(
            DATA.imageId(),
            "t3.small",
            DATA.userDataBase64(),
            DATA.instanceProfile(),
            DATA.securityGroupIds(),
            DATA.keyName(),
            DATA.rootVolume());

    long v2 = cloud.launchTemplates().createVersion(id, small, "token-2");

    assertThat(v2).isEqualTo(2);
    var lt = cloud.launchTemplates().find("web").orElseThrow();
    assertThat(lt.latestVersion()).isEqualTo(2);
    assertThat(lt.latestData().instanceType()).isEqualTo("t3.small");
    assertThat(lt.latestData().differences(DATA))
        .containsExactly("instanceType t3.micro -> t3.small");
  }

  @Test
  void creatingATakenLaunchTemplateNameIsAlreadyExists() {
    cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    assertThatThrownBy(() -> cloud.launchTemplates().create("web", DATA, TAGS, "token-other"))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> assertThat(e.kind()).isEqualTo(CloudException.Kind.ALREADY_EXISTS));
  }

  @Test
  void deletingAMissingLaunchTemplateIsDone() {
    String id = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    cloud.launchTemplates().delete(id);
    cloud.launchTemplates().delete(id);
    assertThat(cloud.launchTemplates().find("web")).isEmpty();
  }

  @Test
  void subnetsResolveToTheirVpcAndZone() {
    var found = cloud.subnets().describe(subnets);
    assertThat(found).extracting(s -> s.vpcId()).containsOnly(vpc);
    assertThat(found)
        .extracting(s -> s.availabilityZone())
        .containsExactly("us-east-1a", "us-east-1b");
  }

  @Test
  void unknownSubnetIsAnInvalidRequestWithAwsMessage() {
    assertThatThrownBy(() -> cloud.subnets().describe(List.of("subnet-0123456789abcdef0")))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_REQUEST);
              assertThat(e.code()).isEqualTo("InvalidSubnetID.NotFound");
              assertThat(e.awsMessage()).contains("subnet-0123456789abcdef0");
            });
  }

  @Test
  void targetGroupRoundTripsHealthCheckAndTags() {
    assertThat(cloud.targetGroups().find("web-1234abcd")).isEmpty();
    var config = new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC);

    var created = cloud.targetGroups().create(config, TAGS);
    String arn = created.arn();

    assertThat(created)
        .as("AWS's answer to the create is what a read shows")
        .isEqualTo(cloud.targetGroups().findHead("web-1234abcd").orElseThrow());
    var tg = cloud.targetGroups().find("web-1234abcd").orElseThrow();
    assertThat(tg.arn()).isEqualTo(arn);
    assertThat(tg.config()).isEqualTo(config);
    assertThat(tg.tags()).containsAllEntriesOf(TAGS);

    var changed = new HealthCheckConfig("/ready", 10, 4, 2, 3, "200-299");
    cloud.targetGroups().modifyHealthCheck(arn, changed);
    assertThat(cloud.targetGroups().find("web-1234abcd").orElseThrow().config().healthCheck())
        .isEqualTo(changed);

    cloud.targetGroups().delete(arn);
    cloud.targetGroups().delete(arn);
    assertThat(cloud.targetGroups().find("web-1234abcd")).isEmpty();
  }

  @Test
  void targetGroupAttributesStartAtAwsDefaultsAndAreModifiedInPlace() {
    String arn =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    assertThat(cloud.targetGroups().find("web-1234abcd").orElseThrow().attributes())
        .containsEntry("deregistration_delay.timeout_seconds", "300")
        .containsEntry("slow_start.duration_seconds", "0")
        .containsEntry("stickiness.enabled", "false");

    cloud
        .targetGroups()
        .modifyAttributes(
            arn,
            Map.of(
                "deregistration_delay.timeout_seconds", "30",
                "slow_start.duration_seconds", "60"));

    var tg = cloud.targetGroups().find("web-1234abcd").orElseThrow();
    assertThat(tg.attributes())
        .containsEntry("deregistration_delay.timeout_seconds", "30")
        .containsEntry("slow_start.duration_seconds", "60")
        .containsEntry("stickiness.enabled", "false");
    assertThat(tg.config().healthCheck()).isEqualTo(HC);
  }

  @Test
  void anAttributeValueAwsRefusesIsAnInvalidRequestWithItsMessage() {
    String arn =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    assertThatThrownBy(
            () ->
                cloud
                    .targetGroups()
                    .modifyAttributes(arn, Map.of("deregistration_delay.timeout_seconds", "4000")))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_REQUEST);
              assertThat(e.awsMessage()).contains("deregistration_delay.timeout_seconds");
            });
  }

  @Test
  void groupRoundTripsAndUpdates() {
    String lt = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    assertThat(cloud.autoScalingGroups().find("web")).isEmpty();

    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("web", lt, 1, 2, 4, 2, subnets, List.of(tg), HealthCheckType.ELB, 300),
            TAGS);

    var g = cloud.autoScalingGroups().find("web").orElseThrow();
    assertThat(List.of(g.min(), g.max(), g.desired())).containsExactly(2, 4, 2);
    assertThat(g.launchTemplateId()).isEqualTo(lt);
    assertThat(g.launchTemplateVersion()).isEqualTo(1L);
    assertThat(g.subnetIds()).containsExactlyElementsOf(subnets.stream().sorted().toList());
    assertThat(g.targetGroupArns()).containsExactly(tg);
    assertThat(g.healthCheckType()).isEqualTo(HealthCheckType.ELB);
    assertThat(g.tags()).containsAllEntriesOf(TAGS);
    settle();
    var launched = cloud.autoScalingGroups().find("web").orElseThrow();
    assertThat(launched.instances())
        .hasSize(2)
        .allSatisfy(
            i -> {
              assertThat(i.inService()).isTrue();
              assertThat(i.availabilityZone()).startsWith("us-east-1");
            });

    cloud
        .autoScalingGroups()
        .update(new GroupUpdate("web", 1, 5, 3, List.of(subnets.get(0)), null, null, null));
    var updated = cloud.autoScalingGroups().find("web").orElseThrow();
    assertThat(List.of(updated.min(), updated.max(), updated.desired())).containsExactly(1, 5, 3);
    assertThat(updated.subnetIds()).containsExactly(subnets.get(0));

    // moto replaces a group created twice; AWS answers AlreadyExists (mapped in AwsErrorsTest).
  }

  @Test
  void aMixedGroupRoundTripsItsPolicyAndCapacityRebalancing() {
    String lt = cloud.launchTemplates().create("mixed", DATA, TAGS, "token-1");
    var policy =
        new InstancesPolicy(
            List.of(
                new InstancesPolicy.TypeOverride("t3.micro", 1),
                new InstancesPolicy.TypeOverride("t3.small", 2)),
            null,
            1,
            50,
            "price-capacity-optimized");
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig(
                "mixed",
                lt,
                1,
                1,
                4,
                2,
                subnets,
                List.of(),
                HealthCheckType.EC2,
                300,
                policy,
                true,
                List.of()),
            TAGS);

    var g = cloud.autoScalingGroups().find("mixed").orElseThrow();
    assertThat(g.instancesPolicy()).isEqualTo(policy);
    assertThat(g.capacityRebalance()).isTrue();
    assertThat(g.launchTemplateId()).isEqualTo(lt);
    assertThat(g.launchTemplateVersion()).isEqualTo(1L);
    settle();
    assertThat(cloud.autoScalingGroups().find("mixed").orElseThrow().instances())
        .hasSize(2)
        .allSatisfy(i -> assertThat(i.instanceType()).isIn("t3.micro", "t3.small"));
  }

  /**
   * A launch template and a group of the same name on its version 1, with EC2 health checks and no
   * target group; returns the template's id.
   */
  private String plainGroup(String name, int min, int max, int desired) {
    String lt = cloud.launchTemplates().create(name, DATA, TAGS, "token-1");
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig(
                name, lt, 1, min, max, desired, subnets, List.of(), HealthCheckType.EC2, 300),
            TAGS);
    return lt;
  }

  @Test
  void aWarmPoolIsPutChangedAndDeleted() {
    plainGroup("warm", 1, 4, 1);
    assertThat(cloud.autoScalingGroups().find("warm").orElseThrow().warmPool()).isNull();

    var config = new WarmPoolConfig(1, null, "Stopped", true);
    cloud.autoScalingGroups().putWarmPool("warm", config);
    assertThat(cloud.autoScalingGroups().find("warm").orElseThrow().warmPool().config())
        .isEqualTo(config);
    // DescribeWarmPool: moto 5.1.1 answers with ResponseMetadata before the result, which the
    // Java SDK reads as an empty answer; AwsUnemulatedCallsTest checks AWS's documented shape.

    // (moto 5.1.1 reads ReuseOnScaleIn=false as true: AwsUnemulatedCallsTest checks false.)
    var changed = new WarmPoolConfig(2, 3, "Running", true);
    cloud.autoScalingGroups().putWarmPool("warm", changed);
    assertThat(cloud.autoScalingGroups().find("warm").orElseThrow().warmPool().config())
        .isEqualTo(changed);

    cloud.autoScalingGroups().deleteWarmPool("warm");
    settle();
    assertThat(cloud.autoScalingGroups().find("warm").orElseThrow().warmPool()).isNull();
  }

  @Test
  void lifecycleHooksArePutChangedAndDeletedAndOthersLeftAlone() {
    String lt = plainGroup("hooked", 0, 2, 0);
    assertThat(cloud.autoScalingGroups().lifecycleHooks("hooked")).isEmpty();
    // A group created with its hooks (LifecycleHookSpecificationList, which moto ignores):
    // AwsUnemulatedCallsTest and SimulatedCloudTest.
    var drain = LifecycleHookConfig.drain(60);
    cloud.autoScalingGroups().putLifecycleHook("hooked", drain);
    assertThat(cloud.autoScalingGroups().lifecycleHooks("hooked")).containsExactly(drain);

    var longer = LifecycleHookConfig.drain(120);
    var launch = LifecycleHookConfig.launch(600);
    var theirs =
        new LifecycleHookConfig(
            "audit", LifecycleHookConfig.TERMINATING, 300, LifecycleHookConfig.CONTINUE);
    cloud.autoScalingGroups().putLifecycleHook("hooked", longer);
    cloud.autoScalingGroups().putLifecycleHook("hooked", launch);
    cloud.autoScalingGroups().putLifecycleHook("hooked", theirs);
    assertThat(cloud.autoScalingGroups().lifecycleHooks("hooked"))
        .containsExactlyInAnyOrder(longer, launch, theirs);

    cloud.autoScalingGroups().deleteLifecycleHook("hooked", LifecycleHookConfig.DRAIN);
    cloud.autoScalingGroups().deleteLifecycleHook("hooked", LifecycleHookConfig.DRAIN);
    assertThat(cloud.autoScalingGroups().lifecycleHooks("hooked"))
        .containsExactlyInAnyOrder(launch, theirs);
  }

  @Test
  void targetGroupsAttachAndDetach() {
    String lt = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("web", lt, 1, 1, 1, 1, subnets, List.of(), HealthCheckType.EC2, 300),
            TAGS);
    assertThat(cloud.autoScalingGroups().find("web").orElseThrow().healthCheckType())
        .isEqualTo(HealthCheckType.EC2);

    cloud.autoScalingGroups().attachTargetGroups("web", List.of(tg));
    assertThat(cloud.autoScalingGroups().find("web").orElseThrow().targetGroupArns())
        .containsExactly(tg);

    cloud.autoScalingGroups().detachTargetGroups("web", List.of(tg));
    assertThat(cloud.autoScalingGroups().find("web").orElseThrow().targetGroupArns()).isEmpty();
  }

  @Test
  void policyIsUpsertedAndDeleted() {
    String lt = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("web", lt, 1, 1, 2, 1, subnets, List.of(), HealthCheckType.EC2, 300),
            TAGS);
    assertThat(cloud.autoScalingGroups().findPolicy("web", "cpu")).isEmpty();

    cloud.autoScalingGroups().putPolicy("web", new ScalingPolicyConfig("cpu", 50, 120, false));
    assertThat(cloud.autoScalingGroups().findPolicy("web", "cpu"))
        .hasValue(new ScalingPolicyConfig("cpu", 50, 120, false));

    // moto 5.1.1 does not return DisableScaleIn, so only the target value is checked on upsert.
    cloud.autoScalingGroups().putPolicy("web", new ScalingPolicyConfig("cpu", 70, 120, false));
    assertThat(cloud.autoScalingGroups().findPolicy("web", "cpu"))
        .hasValue(new ScalingPolicyConfig("cpu", 70, 120, false));

    cloud.autoScalingGroups().deletePolicy("web", "cpu");
    assertThat(cloud.autoScalingGroups().findPolicy("web", "cpu")).isEmpty();
  }

  @Test
  void deletingAGroupRemovesItAndAMissingOneIsDone() {
    plainGroup("web", 1, 2, 1);

    cloud.autoScalingGroups().delete("web");
    // A second delete would test NotFound-as-done, but moto answers HTTP 500 for a missing group
    // where AWS answers ValidationError "not found": that mapping is in AwsErrorsTest.
    cloud.autoScalingGroups().find("web").ifPresent(g -> assertThat(g.deleting()).isTrue());
    settle();

    assertThat(cloud.autoScalingGroups().find("web")).isEmpty();
  }

  static final TagChange RETAG = new TagChange(Map.of("team", "ops", "cost", "42"), Set.of("gone"));

  static Map<String, String> before() {
    var tags = new HashMap<>(TAGS);
    tags.put("gone", "soon");
    return tags;
  }

  static void assertRetagged(Map<String, String> tags) {
    assertThat(tags)
        .containsEntry("team", "ops")
        .containsEntry("cost", "42")
        .containsEntry("scalableapp.io/owner", "ns/web")
        .doesNotContainKey("gone");
  }

  @Test
  void launchTemplateTagsAreSetAndRemovedAndItsVersionsTagWhatTheyLaunch() {
    var tagged = DATA.withTags(Map.of("team", "hr", "scalableapp.io/owner", "ns/web"));
    String id = cloud.launchTemplates().create("web", tagged, before(), "token-1");
    assertThat(cloud.launchTemplates().find("web").orElseThrow().latestData()).isEqualTo(tagged);

    cloud.launchTemplates().retag(id, RETAG);
    assertRetagged(launchTemplateTags("web"));

    long v2 = cloud.launchTemplates().createVersion(id, DATA.withTags(Map.of("team", "ops")), "t2");
    var versions = cloud.launchTemplates().versions(id, List.of(1L, v2));
    assertThat(versions).containsOnlyKeys(1L, v2);
    assertThat(versions.get(1L)).isEqualTo(tagged);
    assertThat(versions.get(v2).instanceTags()).containsExactly(Map.entry("team", "ops"));
    assertThat(versions.get(v2).sameLaunch(tagged)).isTrue();
  }

  @Test
  void targetGroupTagsAreSetAndRemoved() {
    String arn =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), before())
            .arn();
    cloud.targetGroups().retag(arn, RETAG);
    assertRetagged(cloud.targetGroups().find("web-1234abcd").orElseThrow().tags());
  }

  @Test
  void loadBalancerAndListenerTagsAreSetAndRemoved() {
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    String arn =
        cloud
            .loadBalancers()
            .create(
                new LoadBalancerConfig("web-1234abcd", "internet-facing", subnets, List.of()),
                before())
            .arn();
    String listener = cloud.loadBalancers().createListener(arn, 80, tg, before());
    assertThat(cloud.loadBalancers().find("web-1234abcd").orElseThrow().listeners().get(0).tags())
        .containsEntry("gone", "soon");

    cloud.loadBalancers().retag(arn, RETAG);
    cloud.loadBalancers().retag(listener, RETAG);
    var lb = cloud.loadBalancers().find("web-1234abcd").orElseThrow();
    assertRetagged(lb.tags());
    assertRetagged(lb.listeners().get(0).tags());
  }

  @Test
  void groupTagsAreSetPropagatedAndRemoved() {
    String lt = cloud.launchTemplates().create("web", DATA, TAGS, "token-1");
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("web", lt, 1, 0, 1, 0, subnets, List.of(), HealthCheckType.EC2, 300),
            before());
    cloud.autoScalingGroups().retag("web", RETAG);

    var g = cloud.autoScalingGroups().find("web").orElseThrow();
    assertRetagged(g.tags());
    assertThat(g.unpropagatedTags()).as("every tag propagates to new instances").isEmpty();
  }

  @Test
  void loadBalancerWithAListenerForwardingToTheTargetGroup() {
    assertThat(cloud.loadBalancers().find("web-1234abcd")).isEmpty();
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    String tg2 =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web2-1234abcd", "HTTP", 80, vpc, HC), TAGS)
            .arn();
    var config = new LoadBalancerConfig("web-1234abcd", "internet-facing", subnets, List.of());

    var created = cloud.loadBalancers().create(config, TAGS);
    String arn = created.arn();
    var read = cloud.loadBalancers().findHead("web-1234abcd").orElseThrow();
    assertThat(List.of(created.arn(), created.dnsName(), created.config()))
        .as("AWS's answer to the create is what a read shows (its state may move on)")
        .isEqualTo(List.of(read.arn(), read.dnsName(), read.config()));
    String listener = cloud.loadBalancers().createListener(arn, 80, tg, TAGS);

    var lb = cloud.loadBalancers().find("web-1234abcd").orElseThrow();
    assertThat(lb.arn()).isEqualTo(arn);
    assertThat(lb.dnsName()).isNotBlank();
    assertThat(lb.config().scheme()).isEqualTo("internet-facing");
    assertThat(lb.config().subnetIds())
        .containsExactlyElementsOf(subnets.stream().sorted().toList());
    assertThat(lb.tags()).containsAllEntriesOf(TAGS);
    assertThat(lb.listeners())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.arn()).isEqualTo(listener);
              assertThat(l.port()).isEqualTo(80);
              assertThat(l.targetGroupArn()).isEqualTo(tg);
            });

    cloud.loadBalancers().modifyListener(listener, ListenerConfig.forward(80, tg2));
    assertThat(
            cloud
                .loadBalancers()
                .find("web-1234abcd")
                .orElseThrow()
                .listeners()
                .get(0)
                .targetGroupArn())
        .isEqualTo(tg2);

    cloud.loadBalancers().deleteListener(listener);
    assertThat(cloud.loadBalancers().find("web-1234abcd").orElseThrow().listeners()).isEmpty();
    cloud.loadBalancers().delete(arn);
    cloud.loadBalancers().delete(arn);
    assertThat(cloud.loadBalancers().find("web-1234abcd")).isEmpty();
  }

  private String tlsTargetGroup() {
    return cloud
        .targetGroups()
        .create(new TargetGroupConfig("tls-1234abcd", "HTTP", 80, vpc, HC), TAGS)
        .arn();
  }

  private String tlsLoadBalancer() {
    return cloud
        .loadBalancers()
        .create(new LoadBalancerConfig("tls-1234abcd", "internet-facing", subnets, List.of()), TAGS)
        .arn();
  }

  @Test
  void anHttpsListenerKeepsItsCertificatesAndPolicyAndChangesInPlace() {
    String tg = tlsTargetGroup();
    String lb = tlsLoadBalancer();
    String a = certificate("a.example.com");
    String b = certificate("b.example.com");
    String c = certificate("c.example.com");
    String policy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    String https =
        cloud
            .loadBalancers()
            .createListener(lb, ListenerConfig.https(443, tg, List.of(a, b), policy), TAGS);
    String http = cloud.loadBalancers().createListener(lb, ListenerConfig.redirect(80, 443), TAGS);

    var listeners = cloud.loadBalancers().find("tls-1234abcd").orElseThrow().listeners();
    assertThat(listeners)
        .extracting(ObservedLoadBalancer.Listener::config)
        .containsExactlyInAnyOrder(
            ListenerConfig.https(443, tg, List.of(a, b), policy), ListenerConfig.redirect(80, 443));
    assertThat(listeners).allSatisfy(l -> assertThat(l.tags()).containsAllEntriesOf(TAGS));

    // A renewed certificate under a new ARN: the same listener, changed in place.
    cloud
        .loadBalancers()
        .modifyListener(https, ListenerConfig.https(443, tg, List.of(c, b), policy));
    cloud.loadBalancers().removeCertificates(https, List.of(b));
    cloud.loadBalancers().addCertificates(https, List.of(a));
    cloud.loadBalancers().modifyListener(http, ListenerConfig.forward(80, tg));

    assertThat(listenersAsAwsHoldsThem(lb))
        .extracting(ObservedLoadBalancer.Listener::arn, ObservedLoadBalancer.Listener::config)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                https, ListenerConfig.https(443, tg, List.of(c, a), policy)),
            org.assertj.core.groups.Tuple.tuple(http, ListenerConfig.forward(80, tg)));
  }

  @Test
  void anSslPolicyAwsDoesNotHaveIsAnInvalidRequestWithItsMessage() {
    String tg = tlsTargetGroup();
    String lb = tlsLoadBalancer();
    String listener =
        cloud
            .loadBalancers()
            .createListener(
                lb,
                ListenerConfig.https(
                    443, tg, List.of(certificate("a.example.com")), "ELBSecurityPolicy-2016-08"),
                TAGS);

    assertThatThrownBy(
            () ->
                cloud
                    .loadBalancers()
                    .modifyListener(
                        listener,
                        ListenerConfig.https(
                            443,
                            tg,
                            List.of(certificate("a.example.com")),
                            "ELBSecurityPolicy-NoSuchPolicy")))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(CloudException.Kind.INVALID_REQUEST);
              assertSslPolicyRefusal(e);
            });
    assertThat(cloud.loadBalancers().listeners(lb))
        .singleElement()
        .satisfies(l -> assertThat(l.sslPolicy()).isEqualTo("ELBSecurityPolicy-2016-08"));
  }

  @Test
  void regionListingsHoldWhatFindReportsForEveryManagedResource() {
    var ours = Tags.forApp("ns/web", Map.of("team", "hr"));
    var theirs = Map.of("owner", "someone-else");
    String lt = cloud.launchTemplates().create("web", DATA, ours, "token-1");
    cloud.launchTemplates().create("foreign", DATA, theirs, "token-2");
    String tg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("web-1234abcd", "HTTP", 80, vpc, HC), ours)
            .arn();
    String otherTg =
        cloud
            .targetGroups()
            .create(new TargetGroupConfig("other-1234abcd", "HTTP", 8080, vpc, HC), theirs)
            .arn();
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("web", lt, 1, 1, 2, 1, subnets, List.of(tg), HealthCheckType.ELB, 300),
            ours);
    cloud
        .autoScalingGroups()
        .create(
            new GroupConfig("foreign", lt, 1, 0, 1, 0, subnets, List.of(), HealthCheckType.EC2, 0),
            theirs);
    cloud.autoScalingGroups().putPolicy("web", new ScalingPolicyConfig("cpu", 50.0, 120, false));
    String lb =
        cloud
            .loadBalancers()
            .create(
                new LoadBalancerConfig("web-1234abcd", "internet-facing", subnets, List.of()), ours)
            .arn();
    String listener = cloud.loadBalancers().createListener(lb, 80, tg, ours);
    settle();

    var found = cloud.launchTemplates().find("web").orElseThrow();
    assertThat(cloud.launchTemplates().listManaged())
        .as("only the operator's templates, without version data")
        .containsExactly(
            new ObservedLaunchTemplate(
                found.id(),
                found.name(),
                found.tags(),
                found.latestVersion(),
                found.defaultVersion(),
                null));
    assertThat(cloud.autoScalingGroups().listManaged())
        .containsExactly(cloud.autoScalingGroups().find("web").orElseThrow());
    assertThat(cloud.autoScalingGroups().listPolicies())
        .containsExactly(
            Map.entry(
                "web", List.of(cloud.autoScalingGroups().findPolicy("web", "cpu").orElseThrow())));

    var targetGroup = cloud.targetGroups().find("web-1234abcd").orElseThrow();
    assertThat(cloud.targetGroups().list())
        .as("every target group, whoever owns it")
        .contains(new TargetGroupHead(tg, targetGroup.config()))
        .anySatisfy(h -> assertThat(h.arn()).isEqualTo(otherTg));
    assertThat(cloud.targetGroups().findHead("web-1234abcd"))
        .contains(new TargetGroupHead(tg, targetGroup.config()));
    assertThat(cloud.targetGroups().findHead("gone-1234abcd")).isEmpty();
    assertThat(cloud.targetGroups().attributes(tg)).isEqualTo(targetGroup.attributes());
    assertThat(cloud.targetGroups().healthyTargets(tg)).isEqualTo(targetGroup.healthyTargets());

    var loadBalancer = cloud.loadBalancers().find("web-1234abcd").orElseThrow();
    assertThat(cloud.loadBalancers().list()).containsExactly(loadBalancer.head());
    assertThat(cloud.loadBalancers().findHead("web-1234abcd")).contains(loadBalancer.head());
    assertThat(cloud.loadBalancers().findHead("gone-1234abcd")).isEmpty();
    assertThat(cloud.loadBalancers().listeners(lb))
        .as("listeners, their tags read with the others'")
        .isEqualTo(
            loadBalancer.listeners().stream()
                .map(
                    l ->
                        new ObservedLoadBalancer.Listener(
                            l.arn(), l.port(), l.protocol(), l.targetGroupArn(), Map.of()))
                .toList());
    String gone = lb.replace("web-1234abcd", "gone-1234abcd");
    var tags = cloud.loadBalancers().tags(List.of(lb, listener, tg, gone));
    // A gone resource has no tags: AWS leaves it out, moto answers with none.
    assertThat(tags.getOrDefault(gone, Map.of())).isEmpty();
    assertThat(tags)
        .containsEntry(lb, loadBalancer.tags())
        .containsEntry(listener, loadBalancer.listeners().get(0).tags())
        .containsEntry(tg, targetGroup.tags());
  }
}
