package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.FaultyAws;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import io.scalableapp.operator.testing.MotoInventory;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What observing the whole fleet per region can get wrong, through the real operator on moto (the
 * AWS adapters behind {@link FaultyAws}, which answers CreateAutoScalingGroup as AWS does): apps in
 * two regions, another owner's resource appearing under an app's name while the app is at rest,
 * resources deleted by hand while it is at rest, and polls that fail.
 */
class FleetObservationIT {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String OTHER_REGION = "us-west-2";

  EmbeddedCluster cluster;
  KubernetesClient client;
  FaultyAws aws;
  InterceptedCloud counted;
  Operator operator;
  List<String> subnets;

  @BeforeEach
  void world() {
    Moto.reset();
    var net = Moto.network();
    subnets = List.of(net.get(1), net.get(2));
    aws = new FaultyAws(Moto.endpoint(), 7L);
    counted =
        new InterceptedCloud(
            new MotoGaps(new AwsCloudProvider(aws.endpoint(), Moto.CREDENTIALS, Moto.REGION)));
    cluster = new EmbeddedCluster();
    client = cluster.client();
  }

  @AfterEach
  void close() {
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
            EmbeddedCluster.FAST);
    operator.start();
  }

  ScalableApp get(String name) {
    return client.resources(ScalableApp.class).inNamespace(NS).withName(name).get();
  }

  ScalableApp awaitPhase(String name, Phase phase) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var a = get(name);
              assertThat(a.getStatus()).as(name + " status").isNotNull();
              assertThat(a.getStatus().phase)
                  .as(name + " phase; conditions " + a.getStatus().conditions)
                  .isEqualTo(phase);
              assertThat(a.getStatus().observedGeneration)
                  .isEqualTo(a.getMetadata().getGeneration());
            });
    return get(name);
  }

  /** Reads of one app by its names: what an app at rest must not cost. */
  int readsByName() {
    return counted.calls("AutoScalingGroups.find")
        + counted.calls("LaunchTemplates.find")
        + counted.calls("TargetGroups.find")
        + counted.calls("TargetGroups.findHead")
        + counted.calls("LoadBalancers.find")
        + counted.calls("LoadBalancers.findHead");
  }

  /** A VPC with two subnets in another region of moto. */
  static List<String> networkIn(String region) {
    try (var ec2 = Moto.ec2(region)) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
      return List.of("a", "b").stream()
          .map(
              zone ->
                  ec2.createSubnet(
                          r ->
                              r.vpcId(vpc)
                                  .cidrBlock(zone.equals("a") ? "10.1.1.0/24" : "10.1.2.0/24")
                                  .availabilityZone(region + zone))
                      .subnet()
                      .subnetId())
          .toList();
    }
  }

  @Test
  void appsInTwoRegionsAreEachServedFromTheirRegionsPollAndCostNothingAtRest()
      throws InterruptedException {
    start(counted);
    var east = Apps.web(NS, "east", subnets);
    east.getSpec().loadBalancer = new LoadBalancerSpec();
    east.getSpec().loadBalancer.subnetIds = subnets;
    var west = Apps.web(NS, "west", networkIn(OTHER_REGION));
    west.getSpec().region = OTHER_REGION;
    client.resources(ScalableApp.class).inNamespace(NS).resource(east).create();
    client.resources(ScalableApp.class).inNamespace(NS).resource(west).create();
    assertThat(awaitPhase("east", Phase.Ready).getStatus().region).isEqualTo(Moto.REGION);
    assertThat(awaitPhase("west", Phase.Ready).getStatus().region).isEqualTo(OTHER_REGION);
    Thread.sleep(3_000); // the polls after the last change: both apps are served from them
    counted.resetCounts();

    Thread.sleep(5_000); // two resyncs at the tests' 2 s interval

    assertThat(readsByName()).as("reads by name of apps at rest").isZero();
    assertThat(counted.mutatingCalls()).isZero();
    assertThat(counted.calls("AutoScalingGroups.listManaged"))
        .as("each region polled at each resync")
        .isGreaterThanOrEqualTo(4);
    try (var eastAsg = Moto.autoScaling(Moto.REGION);
        var westAsg = Moto.autoScaling(OTHER_REGION)) {
      assertThat(eastAsg.describeAutoScalingGroups().autoScalingGroups())
          .singleElement()
          .satisfies(
              g ->
                  assertThat(g.autoScalingGroupName())
                      .isEqualTo(AppNames.of(NS, "east").autoScalingGroup()));
      assertThat(westAsg.describeAutoScalingGroups().autoScalingGroups())
          .singleElement()
          .satisfies(
              g ->
                  assertThat(g.autoScalingGroupName())
                      .isEqualTo(AppNames.of(NS, "west").autoScalingGroup()));
    }
  }

  @Test
  void anotherOwnersGroupTakingTheNameOfAnAppAtRestIsNeverTouched() {
    start(counted);
    client
        .resources(ScalableApp.class)
        .inNamespace(NS)
        .resource(Apps.web(NS, "web", subnets))
        .create();
    awaitPhase("web", Phase.Ready);
    String name = AppNames.of(NS, "web").autoScalingGroup();
    String lt;
    try (var asg = Moto.autoScaling()) {
      var group = asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name));
      lt = group.autoScalingGroups().get(0).launchTemplate().launchTemplateId();
      // By hand: the app's group goes, someone else's comes under the same name, untagged.
      asg.deleteAutoScalingGroup(r -> r.autoScalingGroupName(name).forceDelete(true));
      asg.createAutoScalingGroup(
          r ->
              r.autoScalingGroupName(name)
                  .launchTemplate(l -> l.launchTemplateId(lt).version("1"))
                  .minSize(0)
                  .maxSize(1)
                  .vpcZoneIdentifier(subnets.get(0)));
    }

    var conflicted = awaitPhase("web", Phase.Degraded);

    assertThat(conflicted.getStatus().condition(Condition.DEGRADED).orElseThrow().reason)
        .isEqualTo("OwnershipConflict");
    int attempts = aws.calls("CreateAutoScalingGroup", name);
    await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
    assertThat(aws.calls("CreateAutoScalingGroup", name))
        .as("no further attempt on the name once the owner is known")
        .isEqualTo(attempts);
    try (var asg = Moto.autoScaling()) {
      var group =
          asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(name))
              .autoScalingGroups()
              .get(0);
      assertThat(List.of(group.minSize(), group.maxSize()))
          .as("the other owner's group untouched")
          .containsExactly(0, 1);
      assertThat(group.tags()).isEmpty();
    }
  }

  @Test
  void resourcesDeletedBehindTheOperatorsBackWhileAtRestAreMadeAgainOnceAfterTheNextPoll()
      throws InterruptedException {
    start(counted);
    client
        .resources(ScalableApp.class)
        .inNamespace(NS)
        .resource(Apps.web(NS, "web", subnets))
        .create();
    String tg = awaitPhase("web", Phase.Ready).getStatus().targetGroup.arn;
    Thread.sleep(3_000); // at rest: served from the polls
    String name = AppNames.of(NS, "web").autoScalingGroup();
    try (var asg = Moto.autoScaling();
        var elb = Moto.elb()) {
      asg.deleteAutoScalingGroup(r -> r.autoScalingGroupName(name).forceDelete(true));
      elb.deleteTargetGroup(r -> r.targetGroupArn(tg));
    }

    String tgName = AppNames.of(NS, "web").targetGroup();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(aws.calls("CreateAutoScalingGroup", name)).isEqualTo(2);
              assertThat(get("web").getStatus().phase).isEqualTo(Phase.Ready);
            });
    Thread.sleep(3_000); // more polls: nothing is made a third time

    assertThat(aws.calls("CreateAutoScalingGroup", name)).as("made again, once").isEqualTo(2);
    assertThat(aws.calls("CreateTargetGroup", tgName)).as("made again, once").isEqualTo(2);
    assertThat(MotoInventory.now().groups()).isEqualTo(1);
    try (var elb = Moto.elb()) {
      assertThat(elb.describeTargetGroups().targetGroups()).hasSize(1);
    }
  }

  @Test
  void pollsThatFailLeaveAppsAsTheyAreAndCreateNothingTwice() throws InterruptedException {
    start(counted);
    client
        .resources(ScalableApp.class)
        .inNamespace(NS)
        .resource(Apps.web(NS, "web", subnets))
        .create();
    awaitPhase("web", Phase.Ready);
    Thread.sleep(3_000);
    counted.resetCounts();

    counted.failOn(
        "LoadBalancers.list",
        () -> new CloudException(CloudException.Kind.TRANSIENT, "Throttling", "Rate exceeded"));
    Thread.sleep(6_000); // three polls fail halfway, after three listings each
    counted.heal();
    awaitPhase("web", Phase.Ready);
    Thread.sleep(3_000);

    assertThat(counted.calls("LoadBalancers.list")).as("polls attempted").isGreaterThan(2);
    assertThat(counted.mutatingCalls()).as("nothing judged missing, nothing made").isZero();
    assertThat(MotoInventory.now().groups()).isEqualTo(1);
    assertThat(MotoInventory.now().launchTemplates()).isEqualTo(1);
  }
}
