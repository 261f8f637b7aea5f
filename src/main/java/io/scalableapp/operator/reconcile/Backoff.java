package io.scalableapp.operator.reconcile;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** AWS errors in a row per app, and how long to wait before trying again. */
final class Backoff {
  private final ScalableAppReconciler.Timing timing;
  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

  Backoff(ScalableAppReconciler.Timing timing) {
    this.timing = timing;
  }

  /** One more failure in a row: its number. */
  int failed(ResourceID app) {
    return failures.merge(app, 1, Integer::sum);
  }

  /** How long to wait after {@code failures} in a row. */
  Duration after(int failures) {
    return timing.backoff(failures);
  }

  void succeeded(ResourceID app) {
    failures.remove(app);
  }
}
