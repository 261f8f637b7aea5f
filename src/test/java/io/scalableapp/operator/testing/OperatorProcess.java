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
    return start(
        kubernetesUrl,
        awsEndpoint,
        log,
        List.of("-XX:TieredStopAtLevel=1"),
        Duration.ofSeconds(2),
        1.0);
  }

  /**
   * Starts one with these JVM options, resync interval and share of AWS's request rates; its output
   * goes to {@code log}.
   */
  public static OperatorProcess start(
      String kubernetesUrl,
      URI awsEndpoint,
      Path log,
      List<String> jvmOptions,
      Duration resync,
      double awsApiShare) {
    try {
      Files.createDirectories(log.getParent());
      var command = new java.util.ArrayList<String>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              OperatorProcess.class.getName(),
              kubernetesUrl,
              awsEndpoint.toString(),
              Long.toString(resync.toMillis()),
              Double.toString(awsApiShare)));
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

  /** The most memory the process has held (VmHWM), in MiB; -1 where /proc does not say. */
  public long peakRssMiB() {
    return peakRssMiB(process.pid());
  }

  /** The most memory process {@code pid} has held (VmHWM), in MiB; -1 where /proc does not say. */
  public static long peakRssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
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

  /**
   * Args: the Kubernetes API's URL, the AWS endpoint, and optionally the resync interval in
   * milliseconds and the share of AWS's request rates. Runs until killed.
   */
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
    Duration resync = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 2000);
    double share = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    var operator =
        OperatorRuntime.create(
            client,
            new OperatorConfig(Set.of(), resync, 0),
            new MotoGaps(
                new AwsCloudProvider(
                    URI.create(args[1]),
                    Moto.CREDENTIALS,
                    Moto.REGION,
                    null,
                    share,
                    Integer.MAX_VALUE)),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            EmbeddedCluster.FAST);
    operator.start();
    System.out.println(STARTED);
    Thread.currentThread().join();
  }
}
