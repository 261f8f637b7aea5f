package io.scalableapp.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalableapp.operator.OperatorConfig;
import io.scalableapp.operator.OperatorRuntime;
import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import io.scalableapp.sandbox.EmbeddedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operator in a JVM of its own, against a Kubernetes API and an AWS endpoint, so that a test
 * can {@code kill -9} it: {@link #kill()} is SIGKILL, no shutdown hook, no last status write,
 * nothing kept in memory. Its AWS side is the real adapters (with {@link MotoGaps}, as every moto
 * test).
 */
public final class OperatorProcess implements AutoCloseable {
  static final String STARTED = "operator process started";
  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts one; its output goes to {@code log}. */
  public static OperatorProcess start(String kubernetesUrl, URI awsEndpoint, Path log) {
    try {
      Files.createDirectories(log.getParent());
      var command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:TieredStopAtLevel=1",
              "-cp",
              System.getProperty("java.class.path"),
              OperatorProcess.class.getName(),
              kubernetesUrl,
              awsEndpoint.toString());
      var builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // The moto fixture's own reads go to this JVM's moto, never to a moto of its own.
      builder.environment().put("MOTO_ENDPOINT", Moto.endpoint().toString());
      var process = builder.start();
      return new OperatorProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("operator process " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Args: the Kubernetes API's URL, the AWS endpoint. Runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    var client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl(args[0])
                    .withTrustCerts(true)
                    .withNamespace("default")
                    .build())
            .build();
    var operator =
        OperatorRuntime.create(
            client,
            new OperatorConfig(Set.of(), Duration.ofSeconds(2), 0),
            new MotoGaps(new AwsCloudProvider(URI.create(args[1]), Moto.CREDENTIALS, Moto.REGION)),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            EmbeddedCluster.FAST);
    operator.start();
    System.out.println(STARTED);
    Thread.currentThread().join();
  }
}
