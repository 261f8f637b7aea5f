package io.scalableapp.operator.cloud.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudProvider;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS adapters, one set of SDK clients per region, created on first use. Credentials, region
 * and endpoint come from the SDK's default chain (IRSA, environment, profile; {@code
 * AWS_ENDPOINT_URL} points it at an emulator) unless given explicitly.
 */
public class AwsCloudProvider implements CloudProvider, AutoCloseable {
  private static final String DEFAULT = "";
  private final Map<String, Clients> clients = new ConcurrentHashMap<>();
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final String defaultRegion;
  private final MeterRegistry registry;
  private final double apiShare;
  private final int pageSize;

  /** Everything from the SDK's default chain. */
  public AwsCloudProvider() {
    this(null, null, null);
  }

  /**
   * Everything from the SDK's default chain; every call counted in {@code registry}.
   *
   * @param apiShare the share of AWS's published request rates the operator takes, in (0, 1]
   */
  public AwsCloudProvider(MeterRegistry registry, double apiShare) {
    this(null, null, null, registry, apiShare, Integer.MAX_VALUE);
  }

  /**
   * @param endpoint an endpoint override (an emulator), or null
   * @param credentials credentials, or null for the default chain
   * @param defaultRegion the region for apps that name none, or null for the default chain
   */
  public AwsCloudProvider(URI endpoint, AwsCredentialsProvider credentials, String defaultRegion) {
    this(endpoint, credentials, defaultRegion, null);
  }

  public AwsCloudProvider(
      URI endpoint,
      AwsCredentialsProvider credentials,
      String defaultRegion,
      MeterRegistry registry) {
    this(endpoint, credentials, defaultRegion, registry, 1.0, Integer.MAX_VALUE);
  }

  /**
   * @param apiShare the share of AWS's published request rates the operator takes, in (0, 1]
   * @param pageSize at most this many resources per page of a region-wide listing (AWS's maximum
   *     when larger; smaller spreads a few resources over several pages)
   */
  public AwsCloudProvider(
      URI endpoint,
      AwsCredentialsProvider credentials,
      String defaultRegion,
      MeterRegistry registry,
      double apiShare,
      int pageSize) {
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.defaultRegion = defaultRegion;
    this.registry = registry;
    this.apiShare = apiShare;
    this.pageSize = pageSize;
  }

  @Override
  public String region(String region) {
    if (region != null) {
      return region;
    }
    if (defaultRegion != null) {
      return defaultRegion;
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      throw new CloudException(
          CloudException.Kind.INVALID_REQUEST,
          "NoRegion",
          "no AWS region: set spec.region, or AWS_REGION for the operator ("
              + e.getMessage()
              + ")");
    }
  }

  @Override
  public Cloud forRegion(String region) {
    return clients.computeIfAbsent(region == null ? DEFAULT : region, this::build).cloud();
  }

  private Clients build(String region) {
    String r = DEFAULT.equals(region) ? defaultRegion : region;
    var limits = new AwsRateLimits(apiShare);
    Consumer<AwsClientBuilder<?, ?>> common =
        b -> {
          if (r != null) {
            b.region(Region.of(r));
          }
          if (endpoint != null) {
            b.endpointOverride(endpoint);
          }
          if (credentials != null) {
            b.credentialsProvider(credentials);
          }
          b.overrideConfiguration(
              o -> {
                // Metrics first: a call's time includes its wait for a token.
                if (registry != null) {
                  o.addExecutionInterceptor(new AwsCallMetrics(registry));
                }
                o.addExecutionInterceptor(limits);
              });
        };
    var ec2 = Ec2Client.builder().applyMutation(common::accept).build();
    var elb = ElasticLoadBalancingV2Client.builder().applyMutation(common::accept).build();
    var asg = AutoScalingClient.builder().applyMutation(common::accept).build();
    var ssm = SsmClient.builder().applyMutation(common::accept).build();
    var cloud =
        new Cloud(
            new AwsLaunchTemplates(ec2, pageSize),
            new AwsSubnets(ec2),
            new AwsTargetGroups(elb, pageSize),
            new AwsAutoScalingGroups(asg, pageSize),
            new AwsLoadBalancers(elb, pageSize),
            new AwsInstancePurchases(ec2),
            new AwsImageParameters(ssm));
    return new Clients(ec2, elb, asg, ssm, cloud);
  }

  @Override
  public void close() {
    clients.values().forEach(Clients::close);
    clients.clear();
  }

  private record Clients(
      Ec2Client ec2,
      ElasticLoadBalancingV2Client elb,
      AutoScalingClient asg,
      SsmClient ssm,
      Cloud cloud) {
    void close() {
      ec2.close();
      elb.close();
      asg.close();
      ssm.close();
    }
  }
}
