package io.scalableapp.operator;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own Prometheus metrics (JOSDK's reconciliation metrics and the AWS call metrics
 * are registered elsewhere): apps by phase and rollouts by outcome.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Map<ResourceID, Phase> phases = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Phase phase : Phase.values()) {
      Gauge.builder(
              "scalableapp_apps", phases, m -> m.values().stream().filter(phase::equals).count())
          .description("ScalableApps by phase")
          .tag("phase", phase.name())
          .register(registry);
    }
  }

  public static OperatorMetrics none() {
    return new OperatorMetrics(new SimpleMeterRegistry());
  }

  public void phase(ResourceID app, Phase phase) {
    if (phase != null) {
      phases.put(app, phase);
    }
  }

  public void forget(ResourceID app) {
    phases.remove(app);
  }

  /** A rollout ended: Successful, Cancelled, Failed, RollbackSuccessful, RollbackFailed. */
  public void rolloutEnded(String outcome) {
    Counter.builder("scalableapp_rollouts_total")
        .description("Instance refreshes by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
