package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.CloudContract;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.testing.Moto;
import java.util.List;
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
}
