package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.HealthCheck;
import io.scalableapp.operator.api.LoadBalancerSpec;
import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.RootVolume;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.api.Scaling;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input, as a table: each case is an app on an API server that validates nothing (a CRD without
 * its schema), and each must end Degraded with its reason and the field path. Spec errors make no
 * AWS call at all, and the good app next to them becomes Ready. Errors only AWS can detect (on
 * moto; where moto does not check, {@link FaultyAws} answers as AWS does) carry AWS's own message,
 * are retried with backoff, not in a loop, and leave nothing behind once deleted.
 */
class BadInputIT {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ResourceDefinitionContext SAPP = Apps.RAW;

  /**
   * One bad input: the app's name, what is wrong with it (typed, or in the raw JSON the API server
   * stores), and the field path the status must name.
   */
  record Case(
      String name,
      Consumer<ScalableApp> typed,
      Consumer<Map<String, Object>> raw,
      String field,
      String problem) {
    static Case spec(String name, Consumer<ScalableApp> change, String field, String problem) {
      return new Case(name, change, null, field, problem);
    }

    static Case json(
        String name, Consumer<Map<String, Object>> change, String field, String problem) {
      return new Case(name, a -> {}, change, field, problem);
    }
  }

  static final List<Case> SPEC_ERRORS =
      List.of(
          Case.spec(
              "min-over-max",
              a -> a.getSpec().capacity = new Capacity(5, 2, null),
              "spec.capacity",
              "min (5) must be <= max (2)"),
          Case.spec(
              "desired-over-max",
              a -> a.getSpec().capacity = new Capacity(1, 2, 3),
              "spec.capacity",
              "desired"),
          Case.spec(
              "negative-min",
              a -> a.getSpec().capacity = new Capacity(-1, 2, null),
              "spec.capacity.min",
              "-1"),
          Case.spec("no-capacity", a -> a.getSpec().capacity = null, "spec.capacity", "required"),
          Case.spec(
              "bad-instance-type",
              a -> a.getSpec().instanceType = "t3 micro",
              "spec.instanceType",
              "t3 micro"),
          Case.spec(
              "bad-image", a -> a.getSpec().imageId = "ubuntu-22.04", "spec.imageId", "ubuntu"),
          Case.spec(
              "bad-instance-profile",
              a -> a.getSpec().instanceProfile = "has spaces",
              "spec.instanceProfile",
              "has spaces"),
          Case.spec("no-subnets", a -> a.getSpec().subnetIds = List.of(), "spec.subnetIds", ""),
          Case.spec(
              "bad-subnet",
              a -> a.getSpec().subnetIds = List.of("subnet_1"),
              "spec.subnetIds",
              "subnet_1"),
          Case.spec(
              "bad-security-group",
              a -> a.getSpec().securityGroupIds = List.of("default"),
              "spec.securityGroupIds",
              "default"),
          Case.spec(
              "cpu-target-zero",
              a -> a.getSpec().scaling = new Scaling(0.0, 120, false),
              "spec.scaling.targetCpuUtilization",
              ""),
          Case.spec(
              "port-out-of-range",
              a -> a.getSpec().targetGroup.port = 70000,
              "spec.targetGroup.port",
              "70000"),
          Case.spec(
              "protocol-ftp",
              a -> a.getSpec().targetGroup.protocol = "FTP",
              "spec.targetGroup.protocol",
              "FTP"),
          Case.spec(
              "health-path-relative",
              a ->
                  a.getSpec().targetGroup.healthCheck =
                      new HealthCheck("health", 30, 5, 3, 2, "200"),
              "spec.targetGroup.healthCheck.path",
              "health"),
          Case.spec(
              "health-timeout-not-below-interval",
              a -> a.getSpec().targetGroup.healthCheck = new HealthCheck("/", 10, 10, 3, 2, "200"),
              "spec.targetGroup.healthCheck",
              "timeoutSeconds (10) must be less than intervalSeconds (10)"),
          Case.spec(
              "health-matcher-words",
              a -> a.getSpec().targetGroup.healthCheck = new HealthCheck("/", 30, 5, 3, 2, "ok"),
              "spec.targetGroup.healthCheck.matcher",
              "ok"),
          Case.spec(
              "slow-start-too-short",
              a -> a.getSpec().targetGroup.slowStartSeconds = 10,
              "spec.targetGroup.slowStartSeconds",
              "must be 0 (off) or 30 to 900"),
          Case.spec(
              "load-balancer-without-target-group",
              a -> {
                a.getSpec().loadBalancer = loadBalancer(a.getSpec().subnetIds);
                a.getSpec().targetGroup = null;
              },
              "spec.loadBalancer",
              "targetGroup"),
          Case.spec(
              "load-balancer-in-one-subnet",
              a -> a.getSpec().loadBalancer = loadBalancer(a.getSpec().subnetIds.subList(0, 1)),
              "spec.loadBalancer.subnetIds",
              ""),
          Case.spec(
              "load-balancer-scheme-public",
              a -> {
                a.getSpec().loadBalancer = loadBalancer(a.getSpec().subnetIds);
                a.getSpec().loadBalancer.scheme = "public";
              },
              "spec.loadBalancer.scheme",
              "public"),
          Case.spec(
              "listener-port-zero",
              a -> {
                a.getSpec().loadBalancer = loadBalancer(a.getSpec().subnetIds);
                a.getSpec().loadBalancer.listenerPort = 0;
              },
              "spec.loadBalancer.listenerPort",
              ""),
          Case.spec(
              "min-healthy-over-100",
              a -> {
                a.getSpec().rollout = new RolloutSpec();
                a.getSpec().rollout.minHealthyPercentage = 120;
              },
              "spec.rollout.minHealthyPercentage",
              "120"),
          Case.spec(
              "root-volume-zero",
              a -> a.getSpec().rootVolume = new RootVolume(0, "gp3"),
              "spec.rootVolume.sizeGiB",
              ""),
          Case.spec(
              "reserved-tag",
              a -> a.getSpec().tags = Map.of("scalableapp.io/owner", "someone-else"),
              "spec.tags",
              "reserved prefix"),
          Case.spec(
              "environment-name-with-dash",
              a -> a.getSpec().environment = Map.of("PHOTOS-BUCKET", "x"),
              "spec.environment",
              "PHOTOS-BUCKET"),
          Case.spec(
              "user-data-too-large",
              a -> a.getSpec().userData = "#!/bin/bash\n" + "x".repeat(20_000),
              "spec.userData",
              "16384"),
          Case.spec(
              "deletion-policy-keep",
              a -> a.getSpec().deletionPolicy = "Keep",
              "spec.deletionPolicy",
              "Keep"),
          Case.spec("region-mars", a -> a.getSpec().region = "mars-1", "spec.region", "mars-1"),
          Case.json(
              "min-is-a-word",
              spec -> capacity(spec).put("min", "two"),
              "spec.capacity.min",
              "two"),
          Case.json(
              "subnets-is-a-string",
              spec -> spec.put("subnetIds", "subnet-0123abcd"),
              "spec.subnetIds",
              ""),
          Case.json(
              "capacity-nested-wrongly",
              spec -> spec.put("capacity", Map.of("capacity", Map.of("min", 1, "max", 2))),
              "spec.capacity.min",
              "required"));

  EmbeddedCluster cluster;
  KubernetesClient client;
  List<String> subnets;
  FaultyAws aws;
  InterceptedCloud counted;

  @BeforeEach
  void world() {
    Moto.reset();
    var net = Moto.network();
    subnets = List.of(net.get(1), net.get(2));
    aws = new FaultyAws(Moto.endpoint(), 1L);
    counted =
        new InterceptedCloud(
            new MotoGaps(new AwsCloudProvider(aws.endpoint(), Moto.CREDENTIALS, Moto.REGION)));
    // Bad specs the API server would refuse reach the operator when the CRD lacks its rules.
    cluster = EmbeddedCluster.withoutCrdValidation();
    client = cluster.client();
    cluster.startOperator(counted, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    cluster.close(); // stops the operator first
    aws.close();
  }

  static LoadBalancerSpec loadBalancer(List<String> subnets) {
    var lb = new LoadBalancerSpec();
    lb.subnetIds = subnets;
    return lb;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> capacity(Map<String, Object> spec) {
    return (Map<String, Object>) spec.get("capacity");
  }

  /** Creates the case's app, typed or as raw JSON the API server stores as it is. */
  @SuppressWarnings("unchecked")
  void create(Case c) {
    var app = Apps.web(NS, c.name(), subnets);
    c.typed().accept(app);
    if (c.raw() == null) {
      client.resources(ScalableApp.class).inNamespace(NS).resource(app).create();
      return;
    }
    Map<String, Object> json = Serialization.jsonMapper().convertValue(app, Map.class);
    var spec = new LinkedHashMap<>((Map<String, Object>) json.get("spec"));
    spec.put("capacity", new LinkedHashMap<>(capacity(spec)));
    c.raw().accept(spec);
    json.put("spec", spec);
    client
        .genericKubernetesResources(SAPP)
        .inNamespace(NS)
        .resource(Serialization.jsonMapper().convertValue(json, GenericKubernetesResource.class))
        .create();
  }

  /** The app's Degraded condition once it is Degraded on its generation. */
  Condition awaitDegraded(String name) {
    await()
        .atMost(WAIT)
        .alias(name + " Degraded")
        .until(
            () -> {
              var raw =
                  client.genericKubernetesResources(SAPP).inNamespace(NS).withName(name).get();
              var status =
                  raw == null ? null : (Map<?, ?>) raw.getAdditionalProperties().get("status");
              return status != null
                  && "Degraded".equals(status.get("phase"))
                  && raw.getMetadata()
                      .getGeneration()
                      .equals(((Number) status.get("observedGeneration")).longValue());
            });
    var raw = client.genericKubernetesResources(SAPP).inNamespace(NS).withName(name).get();
    var conditions =
        (List<?>) ((Map<?, ?>) raw.getAdditionalProperties().get("status")).get("conditions");
    return conditions.stream()
        .map(c -> Serialization.jsonMapper().convertValue(c, Condition.class))
        .filter(c -> c.type.equals(Condition.DEGRADED))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everySpecErrorIsDegradedOnItsFieldWithoutAnyAwsCallAndAGoodAppBesideIsReady() {
    assertThat(SPEC_ERRORS).hasSizeGreaterThanOrEqualTo(20);
    SPEC_ERRORS.forEach(this::create);

    var failures = new ArrayList<String>();
    for (Case c : SPEC_ERRORS) {
      Condition degraded = awaitDegraded(c.name());
      if (!degraded.reason.equals("InvalidSpec")
          || !degraded.message.contains(c.field() + ":")
          || !degraded.message.contains(c.problem())) {
        failures.add(c.name() + " -> " + degraded.reason + ": " + degraded.message);
      }
    }
    assertThat(failures).as("cases without their reason, field path and problem").isEmpty();
    assertThat(counted.totalCalls()).as("AWS calls for invalid specs").isZero();

    client
        .resources(ScalableApp.class)
        .inNamespace(NS)
        .resource(Apps.web(NS, "good", subnets))
        .create();
    await()
        .atMost(WAIT)
        .alias("the good app Ready among the bad ones")
        .until(
            () -> {
              var good = client.resources(ScalableApp.class).inNamespace(NS).withName("good").get();
              return good.getStatus() != null && good.getStatus().phase == Phase.Ready;
            });
    for (Case c : SPEC_ERRORS) {
      assertThat(awaitDegraded(c.name()).reason).as(c.name()).isEqualTo("InvalidSpec");
    }
  }

  /** An error only AWS can find: the app, the field, AWS's words, and how to count attempts. */
  record AwsCase(
      String name,
      Consumer<ScalableApp> change,
      String field,
      String awsSays,
      IntSupplier attempts) {}

  @Test
  void errorsOnlyAwsCanFindAreDegradedOnTheirFieldWithAwsMessageAndRetriedWithBackoff()
      throws InterruptedException {
    String missingSubnet = "subnet-0123456789abcdef0";
    String missingImage = "ami-00000000000000dea";
    String missingProfile = "no-such-profile";
    aws.imageDoesNotExist(missingImage);
    aws.instanceProfileDoesNotExist(missingProfile);
    var cases =
        List.of(
            new AwsCase(
                "unknown-subnet",
                a -> a.getSpec().subnetIds = List.of(missingSubnet),
                "spec.subnetIds",
                "InvalidSubnetID.NotFound",
                () -> aws.calls("DescribeSubnets", missingSubnet)),
            new AwsCase(
                "unknown-image",
                a -> a.getSpec().imageId = missingImage,
                "spec.imageId",
                "You must use a valid fully-formed launch template. The image id '["
                    + missingImage
                    + "]' does not exist",
                () ->
                    aws.calls(
                        "CreateAutoScalingGroup",
                        AppNames.of(NS, "unknown-image").autoScalingGroup())),
            new AwsCase(
                "missing-instance-profile",
                a -> a.getSpec().instanceProfile = missingProfile,
                "spec.instanceProfile",
                "Value (" + missingProfile + ") for parameter iamInstanceProfile.name is invalid",
                () ->
                    aws.calls(
                        "CreateAutoScalingGroup",
                        AppNames.of(NS, "missing-instance-profile").autoScalingGroup())));
    for (AwsCase c : cases) {
      var app = Apps.web(NS, c.name(), subnets);
      c.change().accept(app);
      client.resources(ScalableApp.class).inNamespace(NS).resource(app).create();
    }

    var before = new ArrayList<Integer>();
    for (AwsCase c : cases) {
      Condition degraded = awaitDegraded(c.name());
      assertThat(degraded.reason).as(c.name()).isEqualTo("AwsError");
      assertThat(degraded.message).as(c.name()).startsWith(c.field() + ": ").contains(c.awsSays());
      before.add(c.attempts().getAsInt());
    }
    Thread.sleep(4_000);
    for (int i = 0; i < cases.size(); i++) {
      // Backoff from 300 ms doubling to 2 s allows a handful of attempts in 4 s; a loop, hundreds.
      assertThat(cases.get(i).attempts().getAsInt() - before.get(i))
          .as(cases.get(i).name() + ": attempts in 4 s")
          .isBetween(1, 6);
    }
    assertThat(
            aws.calls(
                "CreateAutoScalingGroup", AppNames.of(NS, "unknown-subnet").autoScalingGroup()))
        .as("nothing made for an app AWS cannot place")
        .isZero();

    for (AwsCase c : cases) {
      client.resources(ScalableApp.class).inNamespace(NS).withName(c.name()).delete();
    }
    await()
        .atMost(WAIT)
        .alias("every bad app deleted")
        .until(
            () -> client.resources(ScalableApp.class).inNamespace(NS).list().getItems().isEmpty());
    assertThat(MotoInventory.now())
        .as("what was made before AWS refused is gone with the app")
        .isEqualTo(MotoInventory.NOTHING);
  }
}
