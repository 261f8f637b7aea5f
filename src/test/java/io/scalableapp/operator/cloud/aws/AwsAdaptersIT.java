package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudContract;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.MotoGaps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
