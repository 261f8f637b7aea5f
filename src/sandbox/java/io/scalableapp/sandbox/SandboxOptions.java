package io.scalableapp.sandbox;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The sandbox's command line.
 *
 * @param manifest the user's ScalableApp, or null for the employee directory example
 * @param speed simulated seconds per real second
 * @param newType the instance type to roll out, or null for the next size up
 * @param awsEndpoint an AWS emulator to use instead of the simulated cloud, or null
 */
record SandboxOptions(
    Path manifest,
    double speed,
    String newType,
    boolean keep,
    int port,
    Path kubeconfig,
    URI awsEndpoint) {

  static final String USAGE =
      """
      usage: java -jar scalableapp-sandbox.jar [options]
        --manifest FILE      your own ScalableApp (default: the employee directory example)
        --speed N            simulated seconds per real second (default 200)
        --new-type TYPE      the instance type to roll out (default: the next size up)
        --keep               stay up afterwards: serve the embedded Kubernetes API for kubectl
        --port N             port of the embedded API with --keep (default 0: any free port)
        --kubeconfig FILE    where --keep writes the kubeconfig (default sandbox.kubeconfig)
        --aws-endpoint URL   use the AWS adapters against an emulator (moto, LocalStack) instead
                             of the simulated cloud; steps it cannot play are skipped and named
      """;

  /**
   * @throws IllegalArgumentException with what is wrong
   */
  static SandboxOptions parse(List<String> args) {
    Path manifest = null;
    double speed = 200;
    String newType = null;
    boolean keep = false;
    int port = 0;
    Path kubeconfig = Path.of("sandbox.kubeconfig");
    URI endpoint = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--manifest" -> manifest = Path.of(value(args, ++i, a));
        case "--speed" -> speed = Double.parseDouble(value(args, ++i, a));
        case "--new-type" -> newType = value(args, ++i, a);
        case "--keep" -> keep = true;
        case "--port" -> port = Integer.parseInt(value(args, ++i, a));
        case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, a));
        case "--aws-endpoint" -> endpoint = URI.create(value(args, ++i, a));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (speed < 1 || speed > 100_000) {
      throw new IllegalArgumentException("--speed must be between 1 and 100000");
    }
    return new SandboxOptions(manifest, speed, newType, keep, port, kubeconfig, endpoint);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  boolean simulated() {
    return awsEndpoint == null;
  }
}
