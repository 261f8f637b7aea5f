package io.scalableapp.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.reconcile.ScalableAppReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/** fabric8's mock API server (CRUD, RFC patch semantics) with the real operator on it. */
public final class MockCluster implements AutoCloseable {
  public static final ScalableAppReconciler.Timing FAST =
      new ScalableAppReconciler.Timing(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofSeconds(2));

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private Operator operator;

  public MockCluster() {
    server = RfcCrudDispatcher.newServer(new CustomResourceDefinitionContext.Builder()
        .withGroup(ScalableApp.GROUP).withVersion(ScalableApp.VERSION).withKind("ScalableApp")
        .withPlural("scalableapps").withScope("Namespaced").withStatusSubresource(true).build());
    server.init();
    client = server.createClient();
  }

  public KubernetesClient client() {
    return client;
  }

  public void startOperator(CloudProvider clouds, Clock clock) {
    operator = OperatorRuntime.create(client, new OperatorConfig(Set.of(), Duration.ofSeconds(2), 0), clouds,
        new SimpleMeterRegistry(), clock, FAST);
    operator.start();
  }

  public void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public ScalableApp apply(ScalableApp app) {
    return client.resources(ScalableApp.class).inNamespace(app.getMetadata().getNamespace()).resource(app).create();
  }

  public ScalableApp get(String namespace, String name) {
    return client.resources(ScalableApp.class).inNamespace(namespace).withName(name).get();
  }

  public void edit(String namespace, String name, Consumer<ScalableApp> change) {
    client.resources(ScalableApp.class).inNamespace(namespace).withName(name).edit(a -> {
      change.accept(a);
      return a;
    });
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
