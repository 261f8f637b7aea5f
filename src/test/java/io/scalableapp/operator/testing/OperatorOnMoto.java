package io.scalableapp.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The real operator on the embedded API server against a fresh moto (through {@link MotoGaps},
 * every port call counted), with a 2 s resync and fast retries: the world of an end-to-end test.
 */
public final class OperatorOnMoto implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(60);

  public final EmbeddedCluster cluster;
  public final KubernetesClient client;
  public final List<String> subnets;
  public final InterceptedCloud counted;

  public OperatorOnMoto() {
    Moto.reset();
    var net = Moto.network();
    subnets = List.of(net.get(1), net.get(2));
    counted =
        new InterceptedCloud(
            new MotoGaps(new AwsCloudProvider(Moto.endpoint(), Moto.CREDENTIALS, Moto.REGION)));
    cluster = new EmbeddedCluster();
    client = cluster.client();
    cluster.startOperator(counted, Clock.systemUTC());
  }

  /** The app once {@code done} holds for it (it exists and has a status). */
  public ScalableApp awaitApp(
      String namespace, String name, String what, Predicate<ScalableApp> done) {
    await()
        .atMost(WAIT)
        .alias(name + ": " + what)
        .until(
            () -> {
              var a = cluster.get(namespace, name);
              return a != null && a.getStatus() != null && done.test(a);
            });
    return cluster.get(namespace, name);
  }

  /** Ready on its current generation. */
  public static boolean ready(ScalableApp a) {
    return a.getStatus().phase == Phase.Ready
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration);
  }

  @Override
  public void close() {
    cluster.close(); // stops the operator first
  }
}
