package io.scalableapp.operator.reconcile;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The real JOSDK operator against fabric8's mock API server (CRUD mode, RFC patch semantics) and
 * the AWS adapters on moto.
 */
class ScalableAppReconcilerIT {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ScalableAppReconciler.Timing FAST =
      new ScalableAppReconciler.Timing(
          Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(2));

  EmbeddedCluster cluster;
  KubernetesClient client;
  AwsCloudProvider aws;

  /**
   * The AWS adapters on moto, with what moto lacks (instance refresh, ...) filled in by the
   * fixture.
   */
  MotoGaps cloud;

  Operator operator;
  List<String> subnets;

  @BeforeEach
  void setUp() {
    Moto.reset();
    var net = Moto.network();
    subnets = List.of(net.get(1), net.get(2));
    cluster = new EmbeddedCluster();
    client = cluster.client();
    aws = Moto.cloud();
    cloud = new MotoGaps(aws);
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    cluster.close();
    aws.close();
  }

  void start(CloudProvider clouds) {
    operator =
        OperatorRuntime.create(
            client,
            new OperatorConfig(Set.of(), Duration.ofSeconds(2), 0),
            clouds,
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            FAST);
    operator.start();
  }

  ScalableApp apply(ScalableApp app) {
    return client.resources(ScalableApp.class).inNamespace(NS).resource(app).create();
  }

  ScalableApp get(String name) {
    return client.resources(ScalableApp.class).inNamespace(NS).withName(name).get();
  }

  void edit(String name, Consumer<ScalableApp> change) {
    cluster.edit(NS, name, change);
  }

  ScalableApp awaitPhase(String name, Phase phase) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var app = get(name);
              assertThat(app.getStatus()).as("status of %s", name).isNotNull();
              assertThat(app.getStatus().phase)
                  .as("phase; conditions %s", app.getStatus().conditions)
                  .isEqualTo(phase);
              assertThat(app.getStatus().observedGeneration)
                  .isEqualTo(app.getMetadata().getGeneration());
            });
    return get(name);
  }

  static AppNames names(String name) {
    return AppNames.of(NS, name);
  }

  static List<AutoScalingGroup> groups(String name) {
    try (var asg = Moto.autoScaling()) {
      return asg.describeAutoScalingGroups(
              r -> r.autoScalingGroupNames(names(name).autoScalingGroup()))
          .autoScalingGroups();
    }
  }

  static List<LaunchTemplate> allLaunchTemplates() {
    try (var ec2 = Moto.ec2()) {
      return ec2.describeLaunchTemplates().launchTemplates();
    }
  }

  static List<TargetGroup> allTargetGroups() {
    try (var elb = Moto.elb()) {
      return elb.describeTargetGroups().targetGroups();
    }
  }

  @Test
  void createsTheFleetAndBecomesReady() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));

    var app = awaitPhase("web", Phase.Ready);
    assertThat(app.getStatus().replicas).isEqualTo(2);
    assertThat(app.getStatus().condition(Condition.READY))
        .hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue());
    assertThat(app.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(c -> assertThat(c.isTrue()).isFalse());
    assertThat(app.getMetadata().getFinalizers()).isNotEmpty();

    var group = groups("web").get(0);
    assertThat(group.minSize()).isEqualTo(2);
    assertThat(group.maxSize()).isEqualTo(4);
    assertThat(group.desiredCapacity()).isEqualTo(2);
    assertThat(group.launchTemplate().version()).isEqualTo("1");
    assertThat(group.healthCheckType()).isEqualTo("ELB");
    assertThat(group.targetGroupARNs()).containsExactly(app.getStatus().targetGroup.arn);
    assertThat(group.tags())
        .anySatisfy(
            t -> {
              assertThat(t.key()).isEqualTo("scalableapp.io/owner");
              assertThat(t.value()).isEqualTo(NS + "/web");
              assertThat(t.propagateAtLaunch()).isTrue();
            });
    assertThat(group.vpcZoneIdentifier().split(",")).containsExactlyInAnyOrderElementsOf(subnets);

    try (var ec2 = Moto.ec2()) {
      var data =
          ec2.describeLaunchTemplateVersions(
                  r -> r.launchTemplateId(app.getStatus().launchTemplate.id).versions("1"))
              .launchTemplateVersions()
              .get(0)
              .launchTemplateData();
      String script =
          new String(Base64.getDecoder().decode(data.userData()), StandardCharsets.UTF_8);
      assertThat(script)
          .startsWith("#!/bin/bash\nexport PHOTOS_BUCKET='employee-photos'\necho hello");
      assertThat(data.instanceTypeAsString()).isEqualTo("t3.micro");
    }
    try (var elb = Moto.elb()) {
      var tg =
          elb.describeTargetGroups(r -> r.names(names("web").targetGroup())).targetGroups().get(0);
      assertThat(tg.healthCheckPath()).isEqualTo("/health");
      assertThat(tg.healthyThresholdCount()).isEqualTo(3);
    }
    try (var asg = Moto.autoScaling()) {
      var policies =
          asg.describePolicies(r -> r.autoScalingGroupName(group.autoScalingGroupName()))
              .scalingPolicies();
      assertThat(policies)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.policyType()).isEqualTo("TargetTrackingScaling");
                assertThat(p.targetTrackingConfiguration().targetValue()).isEqualTo(50.0);
                assertThat(
                        p.targetTrackingConfiguration()
                            .predefinedMetricSpecification()
                            .predefinedMetricTypeAsString())
                    .isEqualTo("ASGAverageCPUUtilization");
              });
    }
  }

  @Test
  void resizeChangesTheGroupButNotTheLaunchTemplate() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    awaitPhase("web", Phase.Ready);

    edit("web", a -> a.getSpec().capacity = new Capacity(3, 6, 5));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var g = groups("web").get(0);
              assertThat(List.of(g.minSize(), g.maxSize(), g.desiredCapacity()))
                  .containsExactly(3, 6, 5);
            });
    var app = awaitPhase("web", Phase.Ready);
    assertThat(app.getStatus().appliedDesiredCapacity).isEqualTo(5);
    assertThat(allLaunchTemplates())
        .singleElement()
        .satisfies(lt -> assertThat(lt.latestVersionNumber()).isEqualTo(1L));
  }

  @Test
  void launchTemplateChangeMakesANewNumberedVersionTheGroupUses() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    awaitPhase("web", Phase.Ready);

    edit("web", a -> a.getSpec().instanceType = "t3.small");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(groups("web").get(0).launchTemplate().version()).isEqualTo("2"));
    var app = awaitPhase("web", Phase.Ready);
    assertThat(app.getStatus().launchTemplate.version).isEqualTo(2L);
    assertThat(cloud.refreshesOf(names("web").autoScalingGroup()))
        .singleElement()
        .satisfies(r -> assertThat(r.targetVersion()).isEqualTo(2L));
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutStarted"));
    var group = groups("web").get(0);
    assertThat(List.of(group.minSize(), group.maxSize())).containsExactly(2, 4);
    try (var ec2 = Moto.ec2()) {
      var v2 =
          ec2.describeLaunchTemplateVersions(
                  r -> r.launchTemplateId(app.getStatus().launchTemplate.id).versions("2"))
              .launchTemplateVersions()
              .get(0);
      assertThat(v2.launchTemplateData().instanceTypeAsString()).isEqualTo("t3.small");
    }
  }

  @Test
  void driftMadeInAwsIsCorrectedByTheNextResync() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    var app = awaitPhase("web", Phase.Ready);
    String group = names("web").autoScalingGroup();

    try (var asg = Moto.autoScaling();
        var elb = Moto.elb()) {
      asg.updateAutoScalingGroup(
          r ->
              r.autoScalingGroupName(group)
                  .minSize(1)
                  .maxSize(9)
                  .vpcZoneIdentifier(subnets.get(0)));
      asg.putScalingPolicy(
          r ->
              r.autoScalingGroupName(group)
                  .policyName(names("web").policy())
                  .policyType("TargetTrackingScaling")
                  .targetTrackingConfiguration(
                      t ->
                          t.targetValue(80.0)
                              .predefinedMetricSpecification(
                                  m -> m.predefinedMetricType("ASGAverageCPUUtilization"))));
      elb.modifyTargetGroup(
          r -> r.targetGroupArn(app.getStatus().targetGroup.arn).healthCheckPath("/drifted"));
    }

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var g = groups("web").get(0);
              assertThat(List.of(g.minSize(), g.maxSize())).containsExactly(2, 4);
              assertThat(g.vpcZoneIdentifier().split(","))
                  .containsExactlyInAnyOrderElementsOf(subnets);
              try (var asg = Moto.autoScaling();
                  var elb = Moto.elb()) {
                assertThat(
                        asg.describePolicies(r -> r.autoScalingGroupName(group))
                            .scalingPolicies()
                            .get(0)
                            .targetTrackingConfiguration()
                            .targetValue())
                    .isEqualTo(50.0);
                assertThat(
                        elb.describeTargetGroups(
                                r -> r.targetGroupArns(app.getStatus().targetGroup.arn))
                            .targetGroups()
                            .get(0)
                            .healthCheckPath())
                    .isEqualTo("/health");
              }
            });
  }

  @Test
  void deregistrationDelayAndSlowStartLandInAwsFollowTheSpecAndHealDrift() {
    start(cloud);
    var web = Apps.web(NS, "web", subnets);
    web.getSpec().targetGroup.deregistrationDelaySeconds = 30;
    apply(web);
    String arn = awaitPhase("web", Phase.Ready).getStatus().targetGroup.arn;
    await().atMost(WAIT).until(() -> targetGroupAttributes(arn).equals(List.of("30", "0")));

    edit("web", a -> a.getSpec().targetGroup.slowStartSeconds = 60);
    await().atMost(WAIT).until(() -> targetGroupAttributes(arn).equals(List.of("30", "60")));

    try (var elb = Moto.elb()) {
      elb.modifyTargetGroupAttributes(
          r ->
              r.targetGroupArn(arn)
                  .attributes(a -> a.key("deregistration_delay.timeout_seconds").value("120")));
    }
    await().atMost(WAIT).until(() -> targetGroupAttributes(arn).equals(List.of("30", "60")));
  }

  /** The deregistration delay and slow start moto holds for the target group. */
  static List<String> targetGroupAttributes(String arn) {
    try (var elb = Moto.elb()) {
      var attributes = elb.describeTargetGroupAttributes(r -> r.targetGroupArn(arn)).attributes();
      return List.of("deregistration_delay.timeout_seconds", "slow_start.duration_seconds").stream()
          .map(
              key ->
                  attributes.stream()
                      .filter(a -> a.key().equals(key))
                      .findFirst()
                      .orElseThrow()
                      .value())
          .toList();
    }
  }

  @Test
  void tagsFollowTheSpecOnEveryResourceWithoutReplacingAnInstance() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    var app = awaitPhase("web", Phase.Ready);
    String tgArn = app.getStatus().targetGroup.arn;
    String ltId = app.getStatus().launchTemplate.id;
    var instances = groups("web").get(0).instances().stream().map(i -> i.instanceId()).toList();
    try (var elb = Moto.elb()) {
      elb.addTags(r -> r.resourceArns(tgArn).tags(t -> t.key("added-by-hand").value("x")));
    }

    edit("web", a -> a.getSpec().tags = Map.of("team", "payments", "cost-center", "42"));

    Map<String, String> want =
        Map.of(
            "team", "payments",
            "cost-center", "42",
            "scalableapp.io/owner", NS + "/web",
            "scalableapp.io/managed-by", "scalableapp-operator");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var g = groups("web").get(0);
              assertThat(g.tags().stream().collect(toMap(t -> t.key(), t -> t.value())))
                  .isEqualTo(want);
              assertThat(g.tags()).allSatisfy(t -> assertThat(t.propagateAtLaunch()).isTrue());
              assertThat(MotoGaps.launchTemplateTags(ltId)).isEqualTo(want);
              try (var elb = Moto.elb()) {
                assertThat(
                        elb
                            .describeTags(r -> r.resourceArns(tgArn))
                            .tagDescriptions()
                            .get(0)
                            .tags()
                            .stream()
                            .collect(toMap(t -> t.key(), t -> t.value())))
                    .isEqualTo(want);
              }
              try (var ec2 = Moto.ec2()) {
                var latest =
                    ec2.describeLaunchTemplateVersions(
                            r -> r.launchTemplateId(ltId).versions("$Latest"))
                        .launchTemplateVersions()
                        .get(0);
                assertThat(latest.launchTemplateData().tagSpecifications())
                    .as("new instances and their volumes get the new tags")
                    .hasSize(2)
                    .allSatisfy(
                        spec ->
                            assertThat(
                                    spec.tags().stream()
                                        .collect(toMap(t -> t.key(), t -> t.value())))
                                .isEqualTo(want));
                assertThat(g.launchTemplate().version())
                    .isEqualTo(String.valueOf(latest.versionNumber()));
              }
            });
    assertThat(cloud.refreshesOf(names("web").autoScalingGroup()))
        .as("a tag change replaces no instance")
        .isEmpty();
    assertThat(groups("web").get(0).instances().stream().map(i -> i.instanceId()).toList())
        .containsExactlyInAnyOrderElementsOf(instances);
    awaitPhase("web", Phase.Ready);
  }

  @Test
  void removingScalingDeletesThePolicy() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    awaitPhase("web", Phase.Ready);

    edit("web", a -> a.getSpec().scaling = null);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              try (var asg = Moto.autoScaling()) {
                assertThat(
                        asg.describePolicies(
                                r -> r.autoScalingGroupName(names("web").autoScalingGroup()))
                            .scalingPolicies())
                    .isEmpty();
              }
            });
  }

  @Test
  void deleteRemovesEverythingFromAws() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    awaitPhase("web", Phase.Ready);

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
    assertThat(groups("web")).isEmpty();
    assertThat(allTargetGroups()).isEmpty();
    assertThat(allLaunchTemplates()).isEmpty();
  }

  @Test
  void regionCannotMoveTheAppAndDeletionCleansTheRegionItsResourcesAreIn() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    assertThat(awaitPhase("web", Phase.Ready).getStatus().region).isEqualTo(Moto.REGION);

    // The mock API server runs no CEL rule, as a cluster whose CRD lacks its schema.
    edit("web", a -> a.getSpec().region = "us-west-2");
    var blocked = awaitPhase("web", Phase.Degraded);
    var degraded = blocked.getStatus().condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.reason).isEqualTo("UnsupportedChange");
    assertThat(degraded.message)
        .contains("spec.region")
        .contains("resources are in us-east-1")
        .contains("us-west-2");
    assertThat(blocked.getStatus().region).isEqualTo(Moto.REGION);
    assertThat(launchTemplatesIn("us-west-2")).as("nothing made in the new region").isEmpty();
    assertThat(groups("web")).hasSize(1);

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
    assertThat(groups("web")).isEmpty();
    assertThat(allTargetGroups()).isEmpty();
    assertThat(allLaunchTemplates()).isEmpty();
    assertThat(launchTemplatesIn("us-west-2")).isEmpty();
  }

  static List<LaunchTemplate> launchTemplatesIn(String region) {
    try (var ec2 =
        Ec2Client.builder()
            .endpointOverride(Moto.endpoint())
            .credentialsProvider(Moto.CREDENTIALS)
            .region(Region.of(region))
            .build()) {
      return ec2.describeLaunchTemplates().launchTemplates();
    }
  }

  @Test
  void retainLeavesAwsResourcesOnDelete() {
    start(cloud);
    var app = Apps.web(NS, "web", subnets);
    app.getSpec().deletionPolicy = "Retain";
    apply(app);
    awaitPhase("web", Phase.Ready);

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
    assertThat(groups("web")).hasSize(1);
    assertThat(allLaunchTemplates()).hasSize(1);
  }

  @Test
  void pausedAppPlansButCreatesNothing() {
    start(cloud);
    var app = Apps.web(NS, "web", subnets);
    app.getSpec().paused = true;
    apply(app);

    var paused = awaitPhase("web", Phase.Paused);
    assertThat(paused.getStatus().plannedActions)
        .anySatisfy(a -> assertThat(a).startsWith("CreateLaunchTemplate"))
        .anySatisfy(a -> assertThat(a).startsWith("CreateTargetGroup"));
    assertThat(allLaunchTemplates()).isEmpty();
    assertThat(allTargetGroups()).isEmpty();
    assertThat(groups("web")).isEmpty();

    edit("web", a -> a.getSpec().paused = false);
    assertThat(awaitPhase("web", Phase.Ready).getStatus().plannedActions).isNullOrEmpty();
  }

  @Test
  void invalidSpecIsReportedAndCreatesNothing() {
    // The API server would refuse this spec; with a CRD installed without its rules, it gets here.
    cluster.close();
    cluster = EmbeddedCluster.withoutCrdValidation();
    client = cluster.client();
    start(cloud);
    var app = Apps.web(NS, "web", subnets);
    app.getSpec().capacity = new Capacity(5, 2, null);
    apply(app);

    var bad = awaitPhase("web", Phase.Degraded);
    assertThat(bad.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.isTrue()).isTrue();
              assertThat(c.reason).isEqualTo("InvalidSpec");
              assertThat(c.message).contains("min (5) must be <= max (2)");
            });
    assertThat(allLaunchTemplates()).isEmpty();
    assertThat(allTargetGroups()).isEmpty();
    assertThat(groups("web")).isEmpty();

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
  }

  @Test
  void unknownSubnetIsDegradedWithAwsMessageAndCreatesNothing() {
    start(cloud);
    apply(Apps.web(NS, "web", List.of("subnet-0123456789abcdef0")));

    var bad = awaitPhase("web", Phase.Degraded);
    assertThat(bad.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.reason).isEqualTo("AwsError");
              assertThat(c.message)
                  .contains("InvalidSubnetID.NotFound")
                  .contains("subnet-0123456789abcdef0");
            });
    assertThat(allLaunchTemplates()).isEmpty();
    assertThat(groups("web")).isEmpty();
  }

  @Test
  void foreignOwnedGroupIsNeverTouched() {
    String ltId;
    try (var ec2 = Moto.ec2();
        var asg = Moto.autoScaling()) {
      ltId =
          ec2.createLaunchTemplate(
                  r ->
                      r.launchTemplateName("someone-elses")
                          .launchTemplateData(d -> d.imageId(Apps.AMI).instanceType("t3.nano")))
              .launchTemplate()
              .launchTemplateId();
      asg.createAutoScalingGroup(
          r ->
              r.autoScalingGroupName(names("web").autoScalingGroup())
                  .launchTemplate(l -> l.launchTemplateId(ltId).version("1"))
                  .minSize(1)
                  .maxSize(1)
                  .vpcZoneIdentifier(subnets.get(0))
                  .tags(
                      t ->
                          t.key("scalableapp.io/owner")
                              .value("other/web")
                              .propagateAtLaunch(true)
                              .resourceId(names("web").autoScalingGroup())
                              .resourceType("auto-scaling-group")));
    }
    start(cloud);
    apply(Apps.web(NS, "web", subnets));

    var bad = awaitPhase("web", Phase.Degraded);
    assertThat(bad.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.reason).isEqualTo("OwnershipConflict");
              assertThat(c.message).contains("owned by other/web");
            });
    var group = groups("web").get(0);
    assertThat(List.of(group.minSize(), group.maxSize())).containsExactly(1, 1);
    assertThat(group.launchTemplate().launchTemplateId()).isEqualTo(ltId);

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
    assertThat(groups("web")).as("a foreign group survives the app's deletion").hasSize(1);
  }

  @Test
  void sameNameInTwoNamespacesGetsTwoFleets() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    client
        .resources(ScalableApp.class)
        .inNamespace("other")
        .resource(Apps.web("other", "web", subnets))
        .create();

    awaitPhase("web", Phase.Ready);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var other =
                  client.resources(ScalableApp.class).inNamespace("other").withName("web").get();
              assertThat(other.getStatus()).isNotNull();
              assertThat(other.getStatus().phase).isEqualTo(Phase.Ready);
            });
    assertThat(allLaunchTemplates()).hasSize(2);
    assertThat(allTargetGroups()).hasSize(2);
  }

  @Test
  void operatorKilledInTheMiddleOfACreateLeavesNoDuplicates() {
    // The first operator "dies" right when it would create the group: launch template and target
    // group exist, the group does not, and no status was recorded.
    var dying = new InterceptedCloud(cloud);
    dying.failOn("AutoScalingGroups.create", () -> new IllegalStateException("operator killed"));
    start(dying);
    apply(Apps.web(NS, "web", subnets));
    await().atMost(WAIT).until(() -> dying.calls("AutoScalingGroups.create") > 0);
    operator.stop();
    assertThat(allLaunchTemplates()).hasSize(1);
    assertThat(allTargetGroups()).hasSize(1);

    start(cloud);
    awaitPhase("web", Phase.Ready);
    assertThat(allLaunchTemplates())
        .singleElement()
        .satisfies(lt -> assertThat(lt.latestVersionNumber()).isEqualTo(1L));
    assertThat(allTargetGroups()).hasSize(1);
    assertThat(groups("web")).hasSize(1);
  }

  @Test
  void steadyStateMakesNoMutatingCallsAndWritesNoStatus() throws InterruptedException {
    var counting = new InterceptedCloud(cloud);
    start(counting);
    apply(Apps.web(NS, "web", subnets));
    String version = awaitPhase("web", Phase.Ready).getMetadata().getResourceVersion();
    counting.resetCounts();

    Thread.sleep(5_000); // two resyncs at the tests' 2 s interval

    assertThat(counting.calls("AutoScalingGroups.listManaged"))
        .as("resyncs polled the region")
        .isGreaterThanOrEqualTo(2);
    assertThat(counting.calls("AutoScalingGroups.find") + counting.calls("TargetGroups.find"))
        .as("no read of the app by its names: it is served from the region's poll")
        .isZero();
    assertThat(counting.mutatingCalls()).isZero();
    assertThat(get("web").getMetadata().getResourceVersion())
        .as("status untouched")
        .isEqualTo(version);
  }

  @Test
  void awsRejectionIsDegradedWithItsMessageRetriedWithBackoffAndRecovers()
      throws InterruptedException {
    var intercepted = new InterceptedCloud(cloud);
    String message =
        "You must use a valid fully-formed launch template. The image id '[ami-0123456789abcdef0]'"
            + " does not exist";
    intercepted.failOn(
        "AutoScalingGroups.create",
        () ->
            new CloudException(
                CloudException.Kind.INVALID_REQUEST,
                "ValidationError",
                message,
                "CreateAutoScalingGroup",
                null));
    start(intercepted);
    apply(Apps.web(NS, "web", subnets));

    var bad = awaitPhase("web", Phase.Degraded);
    assertThat(bad.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.reason).isEqualTo("AwsError");
              assertThat(c.message).contains("CreateAutoScalingGroup: ValidationError: " + message);
            });
    assertThat(bad.getStatus().launchTemplate).as("what exists is shown").isNotNull();
    int before = intercepted.calls("AutoScalingGroups.create");
    Thread.sleep(4_000);
    // Backoff from 300 ms doubling to 2 s allows a handful of attempts in 4 s; a hot loop,
    // hundreds.
    assertThat(intercepted.calls("AutoScalingGroups.create") - before).isBetween(1, 6);

    intercepted.heal();
    awaitPhase("web", Phase.Ready);
    assertThat(allLaunchTemplates()).hasSize(1);
  }

  @Test
  void accessDeniedIsItsOwnReason() {
    var intercepted = new InterceptedCloud(cloud);
    // IAM denies the action, so both reads that use it: by name and the region's listing.
    for (String read : List.of("LaunchTemplates.find", "LaunchTemplates.listManaged")) {
      intercepted.failOn(
          read,
          () ->
              new CloudException(
                  CloudException.Kind.ACCESS_DENIED,
                  "UnauthorizedOperation",
                  "You are not authorized to perform this operation.",
                  "DescribeLaunchTemplates",
                  null));
    }
    start(intercepted);
    apply(Apps.web(NS, "web", subnets));

    var bad = awaitPhase("web", Phase.Degraded);
    assertThat(bad.getStatus().condition(Condition.DEGRADED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.reason).isEqualTo("AccessDenied");
              assertThat(c.message).contains("You are not authorized to perform this operation.");
            });
    assertThat(intercepted.mutatingCalls()).isZero();
  }

  @Test
  void appWhoseAwsResourcesAreAlreadyGoneIsNotStuckTerminating() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    var ready = awaitPhase("web", Phase.Ready);
    try (var asg = Moto.autoScaling();
        var elb = Moto.elb();
        var ec2 = Moto.ec2()) {
      asg.deleteAutoScalingGroup(
          r -> r.autoScalingGroupName(names("web").autoScalingGroup()).forceDelete(true));
      elb.deleteTargetGroup(r -> r.targetGroupArn(ready.getStatus().targetGroup.arn));
      ec2.deleteLaunchTemplate(r -> r.launchTemplateId(ready.getStatus().launchTemplate.id));
    }

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();

    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
  }

  @Test
  void loadBalancerFrontsTheTargetGroupAndGoesWithTheApp() {
    start(cloud);
    var app = Apps.web(NS, "web", subnets);
    app.getSpec().loadBalancer = new io.scalableapp.operator.api.LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = subnets;
    app.getSpec().loadBalancer.listenerPort = 8080;
    apply(app);

    var ready = awaitPhase("web", Phase.Ready);
    assertThat(ready.getStatus().loadBalancer.dnsName).isNotBlank();
    try (var elb = Moto.elb()) {
      var lb =
          elb.describeLoadBalancers(r -> r.names(names("web").loadBalancer()))
              .loadBalancers()
              .get(0);
      assertThat(lb.loadBalancerArn()).isEqualTo(ready.getStatus().loadBalancer.arn);
      assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
      var listeners =
          elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners();
      assertThat(listeners)
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.port()).isEqualTo(8080);
                assertThat(l.defaultActions().get(0).targetGroupArn())
                    .isEqualTo(ready.getStatus().targetGroup.arn);
              });
    }

    client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(get("web")).isNull());
    try (var elb = Moto.elb()) {
      assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
    }
    assertThat(allTargetGroups()).isEmpty();
    assertThat(groups("web")).isEmpty();
  }

  @Test
  void aPortChangeReplacesTheTargetGroupBehindTheListenerAndLeavesOneTargetGroup() {
    start(cloud);
    var app = Apps.web(NS, "web", subnets);
    app.getSpec().loadBalancer = new io.scalableapp.operator.api.LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = subnets;
    apply(app);
    String before = awaitPhase("web", Phase.Ready).getStatus().targetGroup.arn;

    edit("web", a -> a.getSpec().targetGroup.port = 8080);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(allTargetGroups())
                  .singleElement()
                  .satisfies(
                      tg -> {
                        assertThat(tg.port()).isEqualTo(8080);
                        assertThat(tg.targetGroupName())
                            .isEqualTo(names("web").replacementTargetGroup());
                      });
            });
    var ready = awaitPhase("web", Phase.Ready);
    String after = allTargetGroups().get(0).targetGroupArn();
    assertThat(after).isNotEqualTo(before);
    assertThat(ready.getStatus().targetGroup.arn).isEqualTo(after);
    assertThat(groups("web").get(0).targetGroupARNs()).containsExactly(after);
    try (var elb = Moto.elb()) {
      String lb =
          elb.describeLoadBalancers(r -> r.names(names("web").loadBalancer()))
              .loadBalancers()
              .get(0)
              .loadBalancerArn();
      assertThat(elb.describeListeners(r -> r.loadBalancerArn(lb)).listeners())
          .singleElement()
          .satisfies(l -> assertThat(l.defaultActions().get(0).targetGroupArn()).isEqualTo(after));
    }
    assertThat(allLaunchTemplates()).singleElement();
  }

  @Test
  void scaleSubresourceSetsDesiredCapacity() {
    start(cloud);
    apply(Apps.web(NS, "web", subnets));
    awaitPhase("web", Phase.Ready);

    // What `kubectl scale sapp/web --replicas=3` does: GET and PUT .../web/scale.
    client.resources(ScalableApp.class).inNamespace(NS).withName("web").scale(3);

    assertThat(get("web").getSpec().capacity.desired).isEqualTo(3);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(groups("web").get(0).desiredCapacity()).isEqualTo(3));
    var app = awaitPhase("web", Phase.Ready);
    assertThat(app.getStatus().appliedDesiredCapacity).isEqualTo(3);
    assertThat(
            client
                .resources(ScalableApp.class)
                .inNamespace(NS)
                .withName("web")
                .scale()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }
}
