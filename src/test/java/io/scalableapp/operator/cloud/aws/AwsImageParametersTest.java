package io.scalableapp.operator.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * GetParameters answers as AWS documents it: the parameter's own name, and for a name asked with a
 * selector ({@code name:version}, {@code name:label}) the selector as given (moto leaves it out).
 */
class AwsImageParametersTest {
  static Parameter answer(String name, String selector, long version) {
    return Parameter.builder()
        .name(name)
        .selector(selector)
        .version(version)
        .value("ami-1")
        .build();
  }

  @Test
  void aPlainNameIsAnsweredByTheParameterWithoutASelector() {
    assertThat(AwsImageParameters.answers("golden", answer("golden", null, 4))).isTrue();
    assertThat(AwsImageParameters.answers("golden", answer("golden", ":prod", 3))).isFalse();
    assertThat(AwsImageParameters.answers("golden", answer("other", null, 4))).isFalse();
  }

  @Test
  void aLabelOrVersionIsAnsweredByItsSelectorOrElseByItsVersion() {
    assertThat(AwsImageParameters.answers("golden:prod", answer("golden", ":prod", 3))).isTrue();
    assertThat(AwsImageParameters.answers("golden:prod", answer("golden", ":test", 2))).isFalse();
    assertThat(AwsImageParameters.answers("golden:3", answer("golden", ":3", 3))).isTrue();
    assertThat(AwsImageParameters.answers("golden:3", answer("golden", null, 3))).isTrue();
    assertThat(AwsImageParameters.answers("golden:3", answer("golden", null, 4))).isFalse();
    assertThat(AwsImageParameters.answers("/aws/service/x:3", answer("/aws/service/x", ":3", 3)))
        .isTrue();
  }
}
