package io.scalableapp.operator.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.scalableapp.operator.api.ScalableApp;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events on a ScalableApp (core/v1 Event, as `kubectl describe` shows them). The same
 * type, reason and message on the same object again is one event whose count and last timestamp go
 * up (as client-go's event correlator does), not a new event each time. Best effort: a failed event
 * write is logged, never fails the reconciliation.
 */
public final class EventRecorder {
  static final String COMPONENT = "scalableapp-operator";

  /** Events remembered for de-duplication: the most recent ones (client-go keeps 4096). */
  static final int REMEMBERED = 4096;

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private final Clock clock;

  /** An event already written: its name, and how often it happened. */
  private record Written(String name, int count) {}

  private final Map<String, Written> written =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
              return size() > REMEMBERED;
            }
          });

  public EventRecorder(Clock clock) {
    this.clock = clock;
  }

  public void record(KubernetesClient client, ScalableApp app, Event e) {
    var meta = app.getMetadata();
    String now = clock.instant().toString();
    String message = e.message();
    String text = message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
    String key =
        String.join(
            "\u0000",
            meta.getNamespace(),
            meta.getName(),
            meta.getUid(),
            e.type().name(),
            e.reason(),
            text);
    try {
      Written before = written.get(key);
      if (before != null && again(client, meta.getNamespace(), before, now)) {
        written.put(key, new Written(before.name(), before.count() + 1));
        return;
      }
      String name = create(client, app, e, text, now);
      written.put(key, new Written(name, 1));
    } catch (RuntimeException ex) {
      log.warn(
          "{}/{}: cannot record event {}: {}",
          meta.getNamespace(),
          meta.getName(),
          e.reason(),
          ex.getMessage());
    }
  }

  /** The event happened again: its count and last timestamp; false when it is gone (expired). */
  private static boolean again(
      KubernetesClient client, String namespace, Written before, String now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .withName(before.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + (before.count() + 1) + ",\"lastTimestamp\":\"" + now + "\"}");
      return true;
    } catch (KubernetesClientException ex) {
      if (ex.getCode() == 404) {
        return false;
      }
      throw ex;
    }
  }

  private static String create(
      KubernetesClient client, ScalableApp app, Event e, String text, String now) {
    var meta = app.getMetadata();
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
            .withMessage(text)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource(COMPONENT, null)
            .withReportingComponent(COMPONENT)
            .build();
    client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    return event.getMetadata().getName();
  }
}
