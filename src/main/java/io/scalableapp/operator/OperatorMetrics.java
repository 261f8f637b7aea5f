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

  /**
   * What every process exposes besides (bound once, where the process makes its registry): {@code
   * scalableapp_build_info} (1, with the operator's version and the Java runtime's as labels) and
   * the JVM's memory, garbage collection, threads, classes, CPU and uptime.
   */
  public static void bindProcessMetrics(MeterRegistry registry) {
    String java = System.getProperty("java.version", "unknown");
    String version = version();
    if (registry instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus) {
      // An info metric, as Prometheus names them (a gauge's _info suffix would be dropped).
      io.prometheus.metrics.core.metrics.Info.builder()
          .name("scalableapp_build_info")
          .help("The operator's build: its version and the Java runtime's")
          .labelNames("version", "java")
          .register(prometheus.getPrometheusRegistry())
          .addLabelValues(version, java);
    } else {
      Gauge.builder("scalableapp_build", () -> 1)
          .description("The operator's build: its version and the Java runtime's")
          .tag("version", version)
          .tag("java", java)
          .register(registry);
    }
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
  }

  /** The operator's version, as the build wrote it into scalableapp-build.properties. */
  static String version() {
    try (var in = OperatorMetrics.class.getResourceAsStream("/scalableapp-build.properties")) {
      if (in == null) {
        return "unknown";
      }
      var p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
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
