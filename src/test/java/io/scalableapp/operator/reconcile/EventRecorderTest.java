package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.sandbox.RfcCrudDispatcher;
import io.scalableapp.sandbox.sim.SimClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events as kubectl users expect them: the same one again counts up, it is not a new event. */
class EventRecorderTest {
  KubernetesMockServer server;
  KubernetesClient client;
  final SimClock clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
  final EventRecorder events = new EventRecorder(clock);
  final ScalableApp app = new ScalableApp();

  @BeforeEach
  void server() {
    server = RfcCrudDispatcher.newServer();
    server.init();
    client = server.createClient();
    app.setMetadata(
        new ObjectMetaBuilder().withNamespace("hr").withName("web").withUid("uid-1").build());
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  List<io.fabric8.kubernetes.api.model.Event> stored() {
    return client.v1().events().inNamespace("hr").list().getItems();
  }

  @Test
  void theSameEventAgainCountsUpWithItsLastTimestamp() {
    var throttled = new Event(Event.Type.Warning, "AwsError", "AWS rejected: Throttling");
    events.record(client, app, throttled);
    clock.advance(java.time.Duration.ofSeconds(30));
    events.record(client, app, throttled);
    clock.advance(java.time.Duration.ofSeconds(30));
    events.record(client, app, throttled);

    assertThat(stored())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getCount()).isEqualTo(3);
              assertThat(e.getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
              assertThat(e.getLastTimestamp()).isEqualTo("2026-01-01T00:01:00Z");
              assertThat(e.getReason()).isEqualTo("AwsError");
            });
  }

  @Test
  void anotherMessageOrObjectIsAnotherEvent() {
    events.record(client, app, new Event(Event.Type.Normal, "UpdateGroup", "desired 2 -> 3"));
    events.record(client, app, new Event(Event.Type.Normal, "UpdateGroup", "desired 3 -> 4"));
    var other = new ScalableApp();
    other.setMetadata(
        new ObjectMetaBuilder().withNamespace("hr").withName("api").withUid("uid-2").build());
    events.record(client, other, new Event(Event.Type.Normal, "UpdateGroup", "desired 2 -> 3"));

    assertThat(stored()).hasSize(3).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void anEventGoneSinceIsRecordedAnew() {
    var e = new Event(Event.Type.Normal, "RolloutStarted", "roll out version 2");
    events.record(client, app, e);
    // The API server dropped it (events expire after an hour).
    client.v1().events().inNamespace("hr").delete();

    events.record(client, app, e);

    assertThat(stored()).singleElement().satisfies(x -> assertThat(x.getCount()).isEqualTo(1));
  }
}
