package io.scalableapp.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /metrics, /healthz and /readyz of a running operator, on moto. */
class MetricsIT {
  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void exposesAwsCallsAppsByPhaseAndHealth() throws Exception {
    Moto.reset();
    var net = Moto.network();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics.bindProcessMetrics(registry); // as Main does
    try (var aws = new AwsCloudProvider(Moto.endpoint(), Moto.CREDENTIALS, Moto.REGION, registry);
        var cluster = new EmbeddedCluster()) {
      var operator =
          OperatorRuntime.create(
              cluster.client(),
              new OperatorConfig(Set.of(), Duration.ofSeconds(2), 0),
              new MotoGaps(aws),
              registry,
              Clock.systemUTC(),
              EmbeddedCluster.FAST);
      try (var health = new HealthServer(0, registry, operator)) {
        assertThat(get(health.port(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(health.port(), "/readyz").statusCode()).as("not started yet").isEqualTo(503);
        operator.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> get(health.port(), "/readyz").statusCode() == 200);

        cluster.apply(Apps.web("ns", "good", List.of(net.get(1), net.get(2))));
        cluster.apply(Apps.web("ns", "bad", List.of("subnet-0123456789abcdef0")));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    phase(cluster, "good") == Phase.Ready
                        && phase(cluster, "bad") == Phase.Degraded);

        String metrics = get(health.port(), "/metrics").body();
        assertThat(metrics)
            .contains(
                "scalableapp_aws_calls_total{operation=\"CreateAutoScalingGroup\",outcome=\"success\","
                    + "service=\"AutoScaling\"}")
            .contains(
                "scalableapp_aws_calls_total{operation=\"DescribeSubnets\","
                    + "outcome=\"InvalidSubnetID.NotFound\",service=\"Ec2\"}")
            .contains("scalableapp_apps{phase=\"Ready\"} 1.0")
            .contains("scalableapp_apps{phase=\"Degraded\"} 1.0")
            .containsPattern("operator_sdk_\\w+|reconciliations")
            // AWS call latency by service and operation, as a histogram.
            .containsPattern(
                "scalableapp_aws_call_duration_seconds_bucket\\{operation=\"CreateAutoScalingGroup\","
                    + "service=\"AutoScaling\",le=\"[0-9.]+\"\\}")
            .containsPattern(
                "scalableapp_aws_call_duration_seconds_count\\{operation=\"DescribeSubnets\","
                    + "service=\"Ec2\"\\} [1-9]")
            .containsPattern("scalableapp_build_info\\{java=\"[^\"]+\",version=\"[^\"]+\"\\} 1")
            .contains("jvm_memory_used_bytes")
            .contains("jvm_gc_max_data_size_bytes")
            .contains("process_uptime_seconds");
        // No series names an app: reconciliation metrics are per controller, not per resource.
        assertThat(metrics.lines().filter(l -> !l.startsWith("#")))
            .noneMatch(l -> l.contains("\"good\"") || l.contains("\"bad\""));
      } finally {
        operator.stop();
      }
    }
  }

  static Phase phase(EmbeddedCluster cluster, String name) {
    ScalableApp app = cluster.get("ns", name);
    return app == null || app.getStatus() == null ? null : app.getStatus().phase;
  }
}
