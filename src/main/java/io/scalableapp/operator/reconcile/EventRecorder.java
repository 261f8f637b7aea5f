package io.scalableapp.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalableapp.operator.api.ScalableApp;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events on a ScalableApp (core/v1 Event, as `kubectl describe` shows them). Best
 * effort: a failed event write is logged, never fails the reconciliation.
 */
public final class EventRecorder {
  static final String COMPONENT = "scalableapp-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private final Clock clock;

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  public void record(KubernetesClient client, ScalableApp app, Event e) {
    var meta = app.getMetadata();
    String now = clock.instant().toString();
    String message = e.message();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(meta.getNamespace())
            .withName(
                meta.getName()
                    + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE))
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(app.getApiVersion())
                    .withKind(app.getKind())
                    .withNamespace(meta.getNamespace())
                    .withName(meta.getName())
                    .withUid(meta.getUid())
                    .withResourceVersion(meta.getResourceVersion())
                    .build())
            .withType(e.type().name())
            .withReason(e.reason())
            .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource(COMPONENT, null)
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (RuntimeException ex) {
      log.warn(
          "{}/{}: cannot record event {}: {}",
          meta.getNamespace(),
          meta.getName(),
          e.reason(),
          ex.getMessage());
    }
  }
}
