package io.scalableapp.operator.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.cloud.CloudContract;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.GroupConfig;
import io.scalableapp.operator.cloud.HealthCheckType;
import io.scalableapp.operator.cloud.LoadBalancerConfig;
import io.scalableapp.operator.cloud.Tags;
import io.scalableapp.operator.testing.FaultyAws;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cloud port's contract on the AWS SDK adapters against moto. */
class AwsAdaptersIT extends CloudContract {
  static AwsCloudProvider provider;

  @BeforeAll
  static void connect() {
    provider = Moto.cloud();
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  @Override
  protected CloudProvider freshCloud() {
    Moto.reset();
    return provider;
  }

  @Override
  protected List<String> network() {
    return Moto.network();
  }

  /** moto's listener certificates after ModifyListener, corrected (see MotoGaps). */
  @Override
  protected List<io.scalableapp.operator.cloud.ObservedLoadBalancer.Listener>
      listenersAsAwsHoldsThem(String loadBalancerArn) {
    return MotoGaps.withAwsCertificates(super.listenersAsAwsHoldsThem(loadBalancerArn));
  }

  /**
   * moto refuses the policy with HTTP 400 but an error body the SDK cannot read (no code): AWS's
   * documented SSLPolicyNotFound is checked on the simulated cloud, and its field in
   * AwsErrorFieldTest.
   */
  @Override
  protected void assertSslPolicyRefusal(io.scalableapp.operator.cloud.CloudException e) {
    assertThat(e.code()).isEqualTo("HTTP400");
  }

  @Override
  protected String certificate(String domain) {
    return Moto.certificate(domain);
  }

  @Override
  protected void putParameter(String name, String value) {
    Moto.putParameter(name, value);
  }

  @Override
  protected void settle() {
    // moto launches and deletes at once.
  }

  /**
   * moto 5.1.1's DescribeLaunchTemplates answers with the tags a template was created with; its tag
   * store, which CreateTags and DeleteTags change, is what DescribeTags reads (AWS answers both
   * from the one store).
   */
  @Override
  protected Map<String, String> launchTemplateTags(String name) {
    return MotoGaps.launchTemplateTags(cloud.launchTemplates().find(name).orElseThrow().id());
  }

  /**
   * The region-wide listings follow AWS's page tokens: with one resource per page, three groups and
   * three load balancers take three pages each, and all are listed. (moto pages these two; the
   * other listings' tokens are tested against AWS's documented answers in AwsUnemulatedCallsTest.)
   */
  @Test
  void listingsReadEveryPage() {
    try (var counting = new FaultyAws(Moto.endpoint(), 1L);
        var paged =
            new AwsCloudProvider(
                counting.endpoint(), Moto.CREDENTIALS, Moto.REGION, null, 1.0, 1)) {
      var c = paged.forRegion(null);
      var tags = Tags.forApp("ns/web", Map.of());
      String lt = c.launchTemplates().create("web", DATA, tags, "token-1");
      c.launchTemplates().create("web-a", DATA, tags, "token-2");
      c.launchTemplates().create("web-b", DATA, tags, "token-3");
      for (int i = 0; i < 3; i++) {
        c.autoScalingGroups()
            .create(
                new GroupConfig(
                    "web-" + i, lt, 1, 0, 1, 0, subnets, List.of(), HealthCheckType.EC2, 0),
                tags);
        c.loadBalancers()
            .create(
                new LoadBalancerConfig("web-" + i, "internet-facing", subnets, List.of()), tags);
      }

      assertThat(c.autoScalingGroups().listManaged())
          .extracting(g -> g.name())
          .containsExactlyInAnyOrder("web-0", "web-1", "web-2");
      assertThat(c.loadBalancers().list())
          .extracting(h -> h.config().name())
          .containsExactlyInAnyOrder("web-0", "web-1", "web-2");
      // moto cuts at MaxResults with no NextToken; FaultyAws pages as AWS does.
      assertThat(c.launchTemplates().listManaged())
          .extracting(t -> t.name())
          .containsExactlyInAnyOrder("web", "web-a", "web-b");
      assertThat(counting.calls("DescribeLaunchTemplates", "MaxResults=1")).isEqualTo(3);
      assertThat(counting.calls("DescribeAutoScalingGroups", "MaxRecords=1")).isEqualTo(3);
      assertThat(counting.calls("DescribeLoadBalancers", "PageSize=1")).isEqualTo(3);
    }
  }
}
