package io.scalableapp.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.scalableapp.operator.api.TolerantReader;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import java.time.Clock;

/** Wires the JOSDK operator: JSON patches (no server-side apply), namespaces, resync, metrics. */
public final class OperatorRuntime {
  private OperatorRuntime() {}

  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      CloudProvider clouds,
      MeterRegistry registry,
      Clock clock,
      ScalableAppReconciler.Timing timing) {
    return create(client, config, clouds, registry, clock, timing, new Leadership());
  }

  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      CloudProvider clouds,
      MeterRegistry registry,
      Clock clock,
      ScalableAppReconciler.Timing timing,
      Leadership leadership) {
    var operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // Status and finalizers are written with JSON (merge) patches: the path the
                    // tests run is
                    // the path shipped, and the operator never owns fields of spec through SSA.
                    .withUseSSAToPatchPrimaryResource(false)
                    // A spec that could not be read keeps its problems through JOSDK's copy.
                    .withResourceCloner(
                        new Cloner() {
                          @Override
                          public <R extends HasMetadata> R clone(R resource) {
                            return TolerantReader.copy(
                                client.getKubernetesSerialization(), resource);
                          }
                        })
                    // Reconciliation metrics without a label per app: JOSDK's per-resource
                    // builder adds one time series per app and is documented to explode
                    // cardinality at fleet scale.
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withLeaderElectionConfiguration(
                        config.leaderElectionNamespace() == null
                            ? null
                            : new LeaderElectionConfiguration(
                                OperatorConfig.LEASE_NAME,
                                config.leaderElectionNamespace(),
                                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                                null,
                                leadership.callbacks(),
                                true)));
    operator.register(
        new ScalableAppReconciler(
            clouds, clock, timing, new OperatorMetrics(registry), config.resyncInterval()),
        o -> {
          if (config.watchNamespaces().isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(config.watchNamespaces());
          }
          o.withReconciliationMaxInterval(config.resyncInterval());
        });
    return operator;
  }
}
