package io.scalableapp.operator.testing;

import io.scalableapp.operator.cloud.aws.AwsCloudProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * moto in server mode, installed and started once per test JVM by the project's own scripts
 * (tools/moto), or the one at {@code MOTO_ENDPOINT} when that is set. Stopped when the JVM exits.
 */
public final class Moto {
  public static final String REGION = "us-east-1";
  public static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  private static URI endpoint;

  private Moto() {}

  public static synchronized URI endpoint() {
    if (endpoint == null) {
      String given = System.getenv("MOTO_ENDPOINT");
      endpoint = URI.create(given != null && !given.isBlank() ? given : start());
    }
    return endpoint;
  }

  /** Wipes moto's state (all services, all regions). */
  public static void reset() {
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot reset moto at " + endpoint, e);
    }
  }

  /** The AWS adapters pointed at moto. */
  public static AwsCloudProvider cloud() {
    return new AwsCloudProvider(endpoint(), CREDENTIALS, REGION);
  }

  public static Ec2Client ec2() {
    return ec2(REGION);
  }

  public static Ec2Client ec2(String region) {
    return Ec2Client.builder()
        .endpointOverride(endpoint())
        .credentialsProvider(CREDENTIALS)
        .region(Region.of(region))
        .build();
  }

  public static software.amazon.awssdk.services.autoscaling.AutoScalingClient autoScaling() {
    return autoScaling(REGION);
  }

  public static software.amazon.awssdk.services.autoscaling.AutoScalingClient autoScaling(
      String region) {
    return software.amazon.awssdk.services.autoscaling.AutoScalingClient.builder()
        .endpointOverride(endpoint())
        .credentialsProvider(CREDENTIALS)
        .region(Region.of(region))
        .build();
  }

  public static software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
      elb() {
    return software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
        .builder()
        .endpointOverride(endpoint())
        .credentialsProvider(CREDENTIALS)
        .region(Region.of(REGION))
        .build();
  }

  public static software.amazon.awssdk.services.ssm.SsmClient ssm() {
    return software.amazon.awssdk.services.ssm.SsmClient.builder()
        .endpointOverride(endpoint())
        .credentialsProvider(CREDENTIALS)
        .region(Region.of(REGION))
        .build();
  }

  /** An ACM certificate for the domain in moto (requested; moto issues it at once): its ARN. */
  public static String certificate(String domain) {
    try (var acm =
        software.amazon.awssdk.services.acm.AcmClient.builder()
            .endpointOverride(endpoint())
            .credentialsProvider(CREDENTIALS)
            .region(Region.of(REGION))
            .build()) {
      return acm.requestCertificate(r -> r.domainName(domain)).certificateArn();
    }
  }

  /** A new version of an SSM parameter in moto (a user's own image parameter). */
  public static void putParameter(String name, String value) {
    try (var ssm = ssm()) {
      ssm.putParameter(
          r ->
              r.name(name)
                  .value(value)
                  .type(software.amazon.awssdk.services.ssm.model.ParameterType.STRING)
                  .overwrite(true));
    }
  }

  /** A VPC with one subnet in each of two availability zones: {vpc, subnetA, subnetB}. */
  public static List<String> network() {
    return network("10.0.1.0/24", "10.0.2.0/24");
  }

  /**
   * The same with subnets of these CIDR blocks (within 10.0.0.0/16): moto, like AWS, launches no
   * instance once a subnet has no free address left.
   */
  public static List<String> network(String cidrA, String cidrB) {
    try (var ec2 = ec2()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      String a =
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidrA).availabilityZone(REGION + "a"))
              .subnet()
              .subnetId();
      String b =
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidrB).availabilityZone(REGION + "b"))
              .subnet()
              .subnetId();
      return List.of(vpc, a, b);
    }
  }

  private static String start() {
    Path root = projectRoot();
    try {
      run(root, List.of("bash", root.resolve("tools/moto/install.sh").toString()));
      String url =
          run(root, List.of("bash", root.resolve("tools/moto/start.sh").toString(), "0")).trim();
      String home =
          System.getenv()
              .getOrDefault("MOTO_HOME", System.getProperty("user.home") + "/.cache/moto");
      Path pidFile = Path.of(home, "moto-" + URI.create(url).getPort() + ".pid");
      String pid = Files.readString(pidFile).trim();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy)));
      return url;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot start moto", e);
    }
  }

  private static String run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed with exit code " + p.exitValue());
    }
    return out;
  }

  private static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("tools/moto/start.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("tools/moto not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
