package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.Capacity;
import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.InterceptedCloud;
import io.scalableapp.sandbox.EmbeddedCluster;
import io.scalableapp.sandbox.TimeDriver;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies the informer cannot read as a ScalableApp, stored by an API server that validates nothing
 * (a CRD installed without its schema): each becomes its own Degraded/InvalidSpec with the field
 * path, nothing reaches AWS for it, nothing of it is rewritten, and every other app keeps
 * reconciling, also after a restart.
 */
class MalformedAppsIT {
  static final String NS = "shop";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ResourceDefinitionContext SAPP = Apps.RAW;

  /** Name, the spec's broken JSON (the rest as a good app has it), the reported field. */
  record Shape(String name, String capacity, String subnetIds, String field) {}

  static final List<Shape> SHAPES =
      List.of(
          new Shape("min-two", "{\"min\":\"two\",\"max\":2}", null, "spec.capacity.min"),
          new Shape("subnets-map", null, "{\"a\":\"subnet-0123abcd\"}", "spec.subnetIds"),
          new Shape("capacity-list", "[1,2]", null, "spec.capacity"),
          new Shape("max-fraction", "{\"min\":1,\"max\":2.5}", null, "spec.capacity.max"),
          new Shape("subnet-object", null, "[{\"id\":\"subnet-0123abcd\"}]", "spec.subnetIds[0]"));

  SimClock clock;
  SimulatedCloud sim;
  InterceptedCloud counted;
  EmbeddedCluster cluster;
  TimeDriver time;
  List<String> subnets;

  @BeforeEach
  void world() {
    clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    sim = new SimulatedCloud(clock);
    subnets =
        List.of(
            sim.addSubnet("vpc-1", "us-east-1a").id(), sim.addSubnet("vpc-1", "us-east-1b").id());
    counted = new InterceptedCloud(sim);
    // Apps the API server would refuse reach the operator when the CRD lacks its schema.
    cluster = EmbeddedCluster.withoutCrdValidation();
    time = new TimeDriver(sim, Duration.ofSeconds(5), Duration.ofMillis(20)).start();
  }

  @AfterEach
  void close() {
    time.close();
    cluster.close();
  }

  GenericKubernetesResource malformed(Shape shape) {
    String spec =
        """
        {"instanceType":"t3.micro","imageId":"ami-0123456789abcdef0",
         "subnetIds":%s,"capacity":%s}"""
            .formatted(
                shape.subnetIds() == null ? Serialization.asJson(subnets) : shape.subnetIds(),
                shape.capacity() == null ? "{\"min\":1,\"max\":2}" : shape.capacity());
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(ScalableApp.GROUP + "/" + ScalableApp.VERSION)
        .withKind("ScalableApp")
        .withNewMetadata()
        .withNamespace(NS)
        .withName(shape.name())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Serialization.unmarshal(spec, Map.class)))
        .build();
  }

  void create(Shape shape) {
    cluster
        .client()
        .genericKubernetesResources(SAPP)
        .inNamespace(NS)
        .resource(malformed(shape))
        .create();
  }

  GenericKubernetesResource raw(String name) {
    return cluster.client().genericKubernetesResources(SAPP).inNamespace(NS).withName(name).get();
  }

  ScalableApp awaitApp(String name, java.util.function.Predicate<ScalableApp> condition) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var a = cluster.get(NS, name);
              return a != null && a.getStatus() != null && condition.test(a);
            });
    return cluster.get(NS, name);
  }

  static boolean readyAt(ScalableApp a, int desired) {
    return a.getStatus().phase == Phase.Ready
        && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration())
        && a.getStatus().desiredCapacity != null
        && a.getStatus().desiredCapacity == desired;
  }

  @Test
  void unreadableAppsAreTheirOwnInvalidSpecAndEveryOtherAppKeepsReconciling() {
    var healthy = Apps.web(NS, "healthy", subnets);
    healthy.getSpec().capacity = new Capacity(1, 4, 1);
    cluster.apply(healthy);
    // Some are there when the operator starts (the list), the last comes while it runs (a watch).
    List<Shape> before = SHAPES.subList(0, SHAPES.size() - 1);
    before.forEach(this::create);
    cluster.startOperator(counted, clock);
    awaitApp("healthy", a -> readyAt(a, 1));
    create(SHAPES.get(SHAPES.size() - 1));
    for (Shape shape : SHAPES) {
      var app = awaitApp(shape.name(), a -> a.getStatus().phase == Phase.Degraded);
      var degraded = app.getStatus().condition(Condition.DEGRADED).orElseThrow();
      assertThat(degraded.reason).as(shape.name()).isEqualTo("InvalidSpec");
      assertThat(degraded.message).as(shape.name()).contains(shape.field() + ": ");
    }
    assertThat(counted.calls("LaunchTemplates.create"))
        .as("only the healthy app reaches AWS")
        .isEqualTo(1);
    assertThat(counted.calls("Subnets.describe"))
        .as("an unreadable app is not even observed")
        .isPositive();

    cluster.edit(NS, "healthy", a -> a.getSpec().capacity.desired = 2);
    awaitApp("healthy", a -> readyAt(a, 2));

    // A restart with the unreadable apps present is clean.
    cluster.stopOperator();
    cluster.startOperator(counted, clock);
    cluster.edit(NS, "healthy", a -> a.getSpec().capacity.desired = 3);
    awaitApp("healthy", a -> readyAt(a, 3));

    for (Shape shape : SHAPES) {
      @SuppressWarnings("unchecked")
      var spec = (Map<String, Object>) raw(shape.name()).getAdditionalProperties().get("spec");
      assertThat(Serialization.asJson(spec))
          .as("%s is stored as it was written: the operator writes status only", shape.name())
          .isEqualTo(Serialization.asJson(malformed(shape).getAdditionalProperties().get("spec")));
    }

    // Deleting one that never reached AWS does not hang on its finalizer.
    int deletes = counted.calls("AutoScalingGroups.delete");
    cluster.client().genericKubernetesResources(SAPP).inNamespace(NS).withName("min-two").delete();
    await().atMost(WAIT).until(() -> raw("min-two") == null);
    assertThat(counted.calls("AutoScalingGroups.delete")).isEqualTo(deletes);
  }

  @Test
  void anUnreadableAppIsDeletedCleanlyAndAFixedOneReconciles() {
    create(SHAPES.get(0));
    cluster.startOperator(counted, clock);
    awaitApp("min-two", a -> a.getStatus().phase == Phase.Degraded);

    var fixed = Apps.web(NS, "min-two", subnets);
    fixed.getSpec().capacity = new Capacity(1, 2, null);
    cluster.edit(NS, "min-two", a -> a.setSpec(fixed.getSpec()));
    awaitApp("min-two", a -> a.getStatus().phase == Phase.Ready);

    cluster.client().resources(ScalableApp.class).inNamespace(NS).withName("min-two").delete();
    await().atMost(WAIT).until(() -> cluster.get(NS, "min-two") == null);
    assertThat(sim.view()).isEmpty();
  }
}
