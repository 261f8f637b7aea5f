package io.scalableapp.operator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator against the cluster (in-cluster config or KUBECONFIG) and AWS. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && !args[0].equals("run")) {
      System.err.println(
          "usage: java -jar scalableapp-operator.jar [run]"
              + (args[0].equals("sandbox")
                  ? "\nThe sandbox is its own artifact: java -jar target/scalableapp-sandbox.jar"
                  : ""));
      System.exit(2);
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    var client = new KubernetesClientBuilder().build();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics.bindProcessMetrics(registry);
    var clouds = new AwsCloudProvider(registry, config.awsApiShare());
    var leadership = new Leadership();
    var operator =
        OperatorRuntime.create(
            client,
            config,
            clouds,
            registry,
            Clock.systemUTC(),
            ScalableAppReconciler.Timing.DEFAULT,
            leadership);
    var health = new HealthServer(config.metricsPort(), registry, operator, leadership);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.stop();
                  health.close();
                  clouds.close();
                  client.close();
                },
                "shutdown"));
    log.info(
        "starting: namespaces={} resync={} metricsPort={} leaderElection={} awsApiShare={}",
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(),
        config.resyncInterval(),
        config.metricsPort(),
        config.leaderElectionNamespace() == null
            ? "off"
            : "lease " + config.leaderElectionNamespace() + "/" + OperatorConfig.LEASE_NAME,
        config.awsApiShare());
    operator.start();
  }
}
