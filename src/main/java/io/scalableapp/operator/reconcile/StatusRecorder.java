package io.scalableapp.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalableapp.operator.OperatorMetrics;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus;
import io.scalableapp.operator.status.Outcome;
import io.scalableapp.operator.status.StatusBuilder;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one reconciliation's outcome: the status (written only when it changed), the events of
 * what changed in it, the metrics, and when to look again (soon while AWS converges, with backoff
 * after an AWS error, at the resync interval once settled).
 */
final class StatusRecorder {
  private static final Logger log = LoggerFactory.getLogger(StatusRecorder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final ScalableAppReconciler.Timing timing;
  private final Backoff backoff;

  StatusRecorder(
      Clock clock,
      EventRecorder events,
      OperatorMetrics metrics,
      ScalableAppReconciler.Timing timing,
      Backoff backoff) {
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
    this.timing = timing;
    this.backoff = backoff;
  }

  UpdateControl<ScalableApp> record(ScalableApp app, Context<ScalableApp> context, Outcome o) {
    ResourceID id = ResourceID.fromResource(app);
    ScalableAppStatus previous = app.getStatus();
    ScalableAppStatus next =
        StatusBuilder.build(
            previous,
            Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L),
            minCapacity(app),
            app.getSpec() != null && app.getSpec().instances != null,
            o,
            clock.instant());
    for (Event e : Transitions.between(previous, next)) {
      events.record(context.getClient(), app, e);
    }
    Transitions.rolloutEnded(previous == null ? null : previous.rollout, next.rollout)
        .ifPresent(e -> metrics.rolloutEnded(next.rollout.status));
    metrics.phase(id, next.phase);

    UpdateControl<ScalableApp> control;
    if (JSON.valueToTree(next).equals(JSON.valueToTree(previous))) {
      control = UpdateControl.noUpdate();
    } else {
      app.setStatus(next);
      control = UpdateControl.patchStatus(app);
    }
    if (o.error() != null) {
      int n = backoff.failed(id);
      log.warn("{}: {} (attempt {})", app.ownerKey(), o.error().getMessage(), n);
      return control.rescheduleAfter(backoff.after(n));
    }
    backoff.succeeded(id);
    boolean settled =
        next.isReady()
            || !o.invalid().isEmpty()
            || o.paused()
            || (o.remaining() != null && o.remaining().hasConflict());
    return settled ? control : control.rescheduleAfter(timing.progress());
  }

  /** The spec's min, 0 when the spec is too broken to say. */
  private static int minCapacity(ScalableApp app) {
    var spec = app.getSpec();
    return spec != null && spec.capacity != null && spec.capacity.min != null
        ? spec.capacity.min
        : 0;
  }
}
