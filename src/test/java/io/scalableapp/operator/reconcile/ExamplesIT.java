package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.plan.SpecValidator;
import io.scalableapp.sandbox.EmbeddedCluster;
import io.scalableapp.sandbox.TimeDriver;
import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest in examples/ goes through the real reconciler to Ready, so none can rot. */
class ExamplesIT {
  static Stream<Path> examples() throws IOException {
    return Files.list(Path.of("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void becomesReady(Path example) throws IOException {
    ScalableApp app;
    try (var in = Files.newInputStream(example)) {
      app = Serialization.unmarshal(in, ScalableApp.class);
    }
    assertThat(SpecValidator.validate(app.getSpec())).as(example.toString()).isEmpty();

    var clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    var sim = new SimulatedCloud(clock);
    List<String> subnets = new ArrayList<>(app.getSpec().subnetIds);
    if (app.getSpec().loadBalancer != null) {
      subnets.addAll(app.getSpec().loadBalancer.subnetIds);
    }
    for (int i = 0; i < subnets.size(); i++) {
      sim.addSubnet(subnets.get(i), "vpc-1", "us-west-2" + (char) ('a' + i % 2));
    }
    try (var cluster = new EmbeddedCluster();
        var time = new TimeDriver(sim, Duration.ofSeconds(5), Duration.ofMillis(10))) {
      cluster.startOperator(sim, clock);
      cluster.apply(app);
      time.start();
      String ns = app.getMetadata().getNamespace();
      String name = app.getMetadata().getName();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                var status = cluster.get(ns, name).getStatus();
                assertThat(status).isNotNull();
                assertThat(status.phase)
                    .as("%s: %s", example, status.conditions)
                    .isEqualTo(Phase.Ready);
                assertThat(status.replicas).isGreaterThanOrEqualTo(app.getSpec().capacity.min);
                assertThat(status.availabilityZones).hasSize(2);
                if (app.getSpec().loadBalancer != null) {
                  assertThat(status.loadBalancer.dnsName).endsWith(".elb.amazonaws.com");
                }
              });
    }
  }
}
