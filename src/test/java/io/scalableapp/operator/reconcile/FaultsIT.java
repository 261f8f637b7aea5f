package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.CuttableLink;
import io.scalableapp.operator.testing.FaultyAws;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import io.scalableapp.operator.testing.MotoInventory;
import io.scalableapp.operator.testing.OperatorProcess;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The operator when AWS and Kubernetes fail: 30% of AWS calls throttled, 30% answered with server
 * errors, AWS unreachable during an update, the API server gone and back, and the operator process
 * killed with SIGKILL after every mutating step of a create, a type change, a port change and a
 * delete. On moto through {@link FaultyAws} (AWS's own error responses, below the SDK). Each run
 * ends with exactly one of each resource, the change applied, and nothing leaked.
 */
class FaultsIT {
  static final String NS = "shop";
  static final String NAME = "web";
  static final Duration WAIT = Duration.ofSeconds(120);
  static final long SEED = 20261129L;
  static final AppNames NAMES = AppNames.of(NS, NAME);

  EmbeddedCluster cluster;
  KubernetesClient client;
  List<String> subnets;
  FaultyAws aws;
  Operator operator;
  OperatorProcess process;
  CuttableLink link;
  KubernetesClient linkedClient;

  @BeforeEach
  void world() {
    aws = new FaultyAws(Moto.endpoint(), SEED);
    fresh();
  }

  /** Empty AWS and an empty cluster, no operator. */
  void fresh() {
    stopOperator();
    if (cluster != null) {
      cluster.close();
    }
    Moto.reset();
    var net = Moto.network();
    subnets = List.of(net.get(1), net.get(2));
    cluster = new EmbeddedCluster();
    client = cluster.client();
  }

  @AfterEach
  void close() {
    stopOperator();
    if (linkedClient != null) {
      linkedClient.close();
    }
    if (link != null) {
      link.close();
    }
    cluster.close();
    aws.close();
  }

  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** The operator in this JVM, on {@code kubernetes}, its AWS calls through the fault layer. */
  void startOperator(KubernetesClient kubernetes) {
    operator =
        OperatorRuntime.create(
            kubernetes,
            new OperatorConfig(Set.of(), Duration.ofSeconds(2), 0),
            new MotoGaps(new AwsCloudProvider(aws.endpoint(), Moto.CREDENTIALS, Moto.REGION)),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            EmbeddedCluster.FAST);
    operator.start();
  }

  OperatorProcess startProcess(String log) {
    return OperatorProcess.start(
        cluster.url(), aws.endpoint(), Path.of("target", "faults", log + ".log"));
  }

  static ScalableApp app(List<String> subnets) {
    var app = Apps.web(NS, NAME, subnets);
    app.getSpec().loadBalancer = new LoadBalancerSpec();
    app.getSpec().loadBalancer.subnetIds = subnets;
    return app;
  }

  ScalableApp get() {
    return client.resources(ScalableApp.class).inNamespace(NS).withName(NAME).get();
  }

  void edit(Consumer<ScalableApp> change) {
    cluster.edit(NS, NAME, change);
  }

  void delete() {
    client.resources(ScalableApp.class).inNamespace(NS).withName(NAME).delete();
  }

  /** Ready on the spec's generation. */
  boolean ready() {
    var a = get();
    return a != null
        && a.getStatus() != null
        && a.getStatus().phase == Phase.Ready
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration);
  }

  ScalableApp awaitReady(Predicate<ScalableApp> and, String what) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .alias(what)
        .until(() -> ready() && and.test(get()));
    return get();
  }

  /** Ready with the type change applied: the group on the launch template version that has it. */
  boolean onSmall(ScalableApp a) {
    var lt = a.getStatus().launchTemplate;
    if (lt == null || lt.version == null) {
      return false;
    }
    try (var ec2 = Moto.ec2();
        var asg = Moto.autoScaling()) {
      var latest =
          ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(lt.id).versions("$Latest"))
              .launchTemplateVersions()
              .get(0);
      var group =
          asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(NAMES.autoScalingGroup()))
              .autoScalingGroups()
              .get(0);
      return latest.launchTemplateData().instanceTypeAsString().equals("t3.small")
          && group.launchTemplate().version().equals(latest.versionNumber().toString())
          && lt.version.equals(latest.versionNumber());
    }
  }

  /** Ready with the port change applied: the one target group left is on 8080. */
  boolean onPort8080(ScalableApp a) {
    try (var elb = Moto.elb()) {
      var tgs = elb.describeTargetGroups().targetGroups();
      return tgs.size() == 1
          && tgs.get(0).port() == 8080
          && tgs.get(0).targetGroupArn().equals(a.getStatus().targetGroup.arn);
    }
  }

  boolean gone() {
    return get() == null;
  }

  void assertOneOfEach() {
    assertThat(MotoInventory.now()).isEqualTo(MotoInventory.oneApp(2));
  }

  void assertNothingLeft() {
    await().atMost(WAIT).alias("the app gone").until(this::gone);
    assertThat(MotoInventory.now()).isEqualTo(MotoInventory.NOTHING);
  }

  /** Create with a load balancer, change the type, delete: one of each, applied, nothing left. */
  void lifecycle() {
    client.resources(ScalableApp.class).inNamespace(NS).resource(app(subnets)).create();
    awaitReady(a -> true, "Ready");
    assertOneOfEach();

    edit(a -> a.getSpec().instanceType = "t3.small");
    awaitReady(this::onSmall, "Ready on t3.small");
    assertOneOfEach();

    delete();
    assertNothingLeft();
  }

  @Test
  void theFaultLayerAnswersWithAwsOwnErrorsThatTheSdkRecognises() {
    var ec2 =
        Ec2Client.builder()
            .endpointOverride(aws.endpoint())
            .credentialsProvider(Moto.CREDENTIALS)
            .region(Region.of(Moto.REGION))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    var elb =
        ElasticLoadBalancingV2Client.builder()
            .endpointOverride(aws.endpoint())
            .credentialsProvider(Moto.CREDENTIALS)
            .region(Region.of(Moto.REGION))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    try (ec2;
        elb) {
      assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();

      aws.throttle(1.0);
      assertThatThrownBy(ec2::describeVpcs)
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
              });
      assertThatThrownBy(elb::describeLoadBalancers)
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
              });

      aws.throttle(0);
      aws.serverErrors(1.0);
      assertThatThrownBy(ec2::describeVpcs)
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
              });
      assertThatThrownBy(elb::describeLoadBalancers)
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure"));

      aws.serverErrors(0);
      aws.unreachable(true);
      // A pooled connection is dropped ("failed to respond"), a new one refused.
      assertThatThrownBy(ec2::describeVpcs).isInstanceOf(SdkClientException.class);
      assertThatThrownBy(ec2::describeVpcs)
          .isInstanceOf(SdkClientException.class)
          .hasMessageContaining("Connection refused");
      aws.unreachable(false);
      assertThat(ec2.describeVpcs().vpcs()).isNotEmpty();
    }
  }

  @Test
  void thirtyPercentOfAwsCallsThrottled() {
    aws.throttle(0.3);
    startOperator(client);

    lifecycle();

    assertThat(aws.throttledCalls()).as("calls throttled").isGreaterThan(10);
  }

  @Test
  void thirtyPercentOfAwsCallsAnsweredWithServerErrorsHalfOfThemAfterAwsDidTheCall() {
    aws.serverErrors(0.3);
    startOperator(client);

    lifecycle();

    assertThat(aws.failedCalls()).as("calls failed").isGreaterThan(10);
  }

  @Test
  void awsUnreachableDuringAnUpdateIsDegradedThenTheUpdateLands() {
    startOperator(client);
    client.resources(ScalableApp.class).inNamespace(NS).resource(app(subnets)).create();
    awaitReady(a -> true, "Ready");

    aws.unreachable(true);
    edit(a -> a.getSpec().instanceType = "t3.small");
    await()
        .atMost(WAIT)
        .alias("Degraded while AWS is unreachable")
        .until(
            () ->
                get().getStatus().conditions.stream()
                    .anyMatch(
                        c ->
                            c.type.equals(Condition.DEGRADED)
                                && c.status.equals("True")
                                && c.reason.equals("AwsError")));
    assertThat(MotoInventory.now()).isEqualTo(MotoInventory.oneApp(2));
    aws.unreachable(false);

    awaitReady(this::onSmall, "Ready on t3.small once AWS is back");
    assertOneOfEach();
    delete();
    assertNothingLeft();
  }

  @Test
  void apiServerUnavailableThenBackTheChangeMadeMeanwhileLands() throws InterruptedException {
    link = new CuttableLink(URI.create(cluster.url()));
    linkedClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withMasterUrl(link.through(URI.create(cluster.url())))
                    .build())
            .build();
    startOperator(linkedClient);
    client.resources(ScalableApp.class).inNamespace(NS).resource(app(subnets)).create();
    awaitReady(a -> true, "Ready");

    link.cut();
    edit(a -> a.getSpec().instanceType = "t3.small");
    Thread.sleep(3000);
    try (var ec2 = Moto.ec2()) {
      assertThat(ec2.describeLaunchTemplates().launchTemplates().get(0).latestVersionNumber())
          .as("nothing changed while the operator could not see the change")
          .isEqualTo(1L);
    }
    link.restore();

    awaitReady(this::onSmall, "Ready on t3.small once the API server is back");
    assertOneOfEach();
    delete();
    assertNothingLeft();
  }

  /** One kill: after which step, and what the restarted operator reached. */
  record Kill(int step, String call) {}

  /**
   * For k = 1, 2, ...: from a fresh world at {@code start}, an operator process makes {@code
   * change} and is killed with SIGKILL right after its k-th mutating AWS call (AWS did it; the
   * operator never heard back); a new process must reach {@code done} with {@code after} holding.
   * Ends at the first k the change needs fewer calls than.
   */
  List<Kill> killAfterEveryStep(
      String scenario, Runnable start, Runnable change, Predicate<FaultsIT> done, Runnable after) {
    var kills = new ArrayList<Kill>();
    for (int k = 1; k < 40; k++) {
      fresh();
      start.run();
      stopOperator();
      var dying = startProcess(scenario + "-" + k + "-killed");
      process = dying;
      aws.onMutatingCall(k, dying::kill);
      change.run();
      await()
          .atMost(WAIT)
          .alias(scenario + ": killed after step " + k + ", or done without it")
          .until(() -> !dying.alive() || done.test(this));
      if (dying.alive()) {
        assertThat(aws.mutatingCalls()).as("calls of the whole change").hasSizeLessThan(k);
        aws.onMutatingCall(0, null);
        break;
      }
      List<String> calls = aws.mutatingCalls();
      kills.add(new Kill(k, calls.get(k - 1)));
      aws.onMutatingCall(0, null);
      process = startProcess(scenario + "-" + k + "-restarted");
      await()
          .atMost(WAIT)
          .alias(scenario + ": done after a kill after step " + k + " (" + calls + ")")
          .until(() -> done.test(this));
      after.run();
    }
    System.out.printf("%s: killed after each of %d steps: %s%n", scenario, kills.size(), kills);
    return kills;
  }

  void createReady() {
    startOperator(client);
    client.resources(ScalableApp.class).inNamespace(NS).resource(app(subnets)).create();
    awaitReady(a -> true, "Ready");
  }

  @Test
  void killedAfterEveryMutatingStepOfACreate() {
    var kills =
        killAfterEveryStep(
            "create",
            () -> {},
            () ->
                client.resources(ScalableApp.class).inNamespace(NS).resource(app(subnets)).create(),
            t -> t.ready(),
            this::assertOneOfEach);
    assertThat(kills.stream().map(Kill::call))
        .contains(
            "CreateLaunchTemplate",
            "CreateTargetGroup",
            "CreateLoadBalancer",
            "CreateListener",
            "CreateAutoScalingGroup",
            "PutScalingPolicy");
  }

  @Test
  void killedAfterEveryMutatingStepOfATypeChange() {
    var kills =
        killAfterEveryStep(
            "type-change",
            this::createReady,
            () -> edit(a -> a.getSpec().instanceType = "t3.small"),
            t -> t.ready() && t.onSmall(t.get()),
            this::assertOneOfEach);
    assertThat(kills.stream().map(Kill::call)).contains("CreateLaunchTemplateVersion");
  }

  @Test
  void killedAfterEveryMutatingStepOfAPortChange() {
    var kills =
        killAfterEveryStep(
            "port-change",
            this::createReady,
            () -> edit(a -> a.getSpec().targetGroup.port = 8080),
            t -> t.ready() && t.onPort8080(t.get()),
            this::assertOneOfEach);
    assertThat(kills.stream().map(Kill::call))
        .contains(
            "CreateTargetGroup",
            "AttachLoadBalancerTargetGroups",
            "ModifyListener",
            "DetachLoadBalancerTargetGroups",
            "DeleteTargetGroup");
  }

  @Test
  void killedAfterEveryMutatingStepOfADelete() {
    var kills =
        killAfterEveryStep(
            "delete",
            this::createReady,
            this::delete,
            FaultsIT::gone,
            () -> assertThat(MotoInventory.now()).isEqualTo(MotoInventory.NOTHING));
    assertThat(kills.stream().map(Kill::call))
        .contains(
            "DeleteAutoScalingGroup",
            "DeleteListener",
            "DeleteLoadBalancer",
            "DeleteTargetGroup",
            "DeleteLaunchTemplate");
  }
}
