package io.scalableapp.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IAM policy for every partition: ARNs start with {@code arn:aws:} only in the commercial one,
 * so AWS GovCloud (US) and China get their own copies, generated from deploy/iam-policy.json (the
 * one to edit) and kept current here. Each allows every AWS call the adapters make and names only
 * its partition. Regenerate: {@code mvn test -Dtest=IamPartitionsTest -Dregenerate=true}.
 */
class IamPartitionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The partition's copy of the policy, as the build would write it. */
  static String forPartition(String base, String partition) {
    String policy = base.replace("\"arn:aws:", "\"arn:" + partition + ":");
    if (partition.equals("aws-cn")) {
      // EC2's service principal in China is ec2.amazonaws.com.cn (ec2.amazonaws.com is accepted
      // there too): a role passed to EC2 may carry either.
      policy =
          policy.replace(
              "\"iam:PassedToService\": \"ec2.amazonaws.com\"",
              "\"iam:PassedToService\": [\"ec2.amazonaws.com\", \"ec2.amazonaws.com.cn\"]");
    }
    return policy;
  }

  static Path file(String partition) {
    return Path.of("deploy", "iam-policy-" + partition + ".json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws-us-gov", "aws-cn"})
  void everyPartitionHasItsCurrentCopyAllowingEveryCallOfTheAdapters(String partition)
      throws IOException {
    String expected = forPartition(Files.readString(HelmChartTest.POLICY), partition);
    Path committed = file(partition);
    if (Boolean.getBoolean("regenerate")) {
      Files.writeString(committed, expected);
    }
    assertThat(committed).as("regenerate with -Dregenerate=true").exists();
    assertThat(Files.readString(committed))
        .as(
            "%s is generated from %s (mvn test -Dtest=IamPartitionsTest -Dregenerate=true)",
            committed, HelmChartTest.POLICY)
        .isEqualTo(expected);
    Path inChart = HelmChartTest.CHART.resolve(committed.getFileName());
    assertThat(Files.isSymbolicLink(inChart)).as("%s links to %s", inChart, committed).isTrue();
    assertThat(Files.readString(inChart)).isEqualTo(expected);

    JsonNode policy = JSON.readTree(expected);
    List<String> allowed = new ArrayList<>();
    for (JsonNode statement : policy.path("Statement")) {
      allowed.addAll(HelmChartTest.strings(statement.path("Action")));
      for (String resource : HelmChartTest.strings(statement.path("Resource"))) {
        assertThat(resource)
            .as(statement.path("Sid").asText())
            .matches("\\*|arn:" + partition + ":.*");
      }
    }
    Map<String, String> calls = HelmChartTest.awsCallsOfTheAdapters();
    assertThat(calls.keySet().stream().filter(a -> !HelmChartTest.isAllowed(a, allowed)).toList())
        .as("AWS calls of the adapters that %s does not allow", committed)
        .isEmpty();
  }
}
