package io.scalableapp.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release workflow cannot run here (no GitHub, no registry): it is checked with
 * action-validator (npm @action-validator/cli, GitHub's workflow schema), and for what it must do:
 * on a version tag, a multi-arch image and the chart as an OCI artifact, pushed where the chart's
 * default image points.
 */
class ReleaseWorkflowTest {
  static final Path WORKFLOW = Path.of(".github/workflows/release.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static Path validator;

  @TempDir Path temp;

  @BeforeAll
  static void installValidator() throws IOException, InterruptedException {
    var p =
        new ProcessBuilder("bash", "tools/action-validator/install.sh")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(Duration.ofMinutes(10).toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tools/action-validator/install.sh").isZero();
    List<String> lines = out.lines().toList();
    validator = Path.of(lines.get(lines.size() - 1));
    assertThat(validator).isExecutable();
  }

  static int validate(Path workflow) throws IOException, InterruptedException {
    var p =
        new ProcessBuilder(validator.toString(), workflow.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return p.exitValue();
  }

  @Test
  void theWorkflowIsValidAndTheValidatorCatchesABrokenOne() throws Exception {
    assertThat(validate(WORKFLOW)).as("action-validator %s", WORKFLOW).isZero();

    Path broken = temp.resolve("broken.yml");
    Files.writeString(broken, Files.readString(WORKFLOW).replace("runs-on:", "runs_on:"));
    assertThat(validate(broken)).as("a job without runs-on").isNotZero();
  }

  @Test
  void aVersionTagPushesAMultiArchImageAndTheChartWhereTheChartPoints() throws IOException {
    JsonNode wf = YAML.readTree(WORKFLOW.toFile());
    assertThat(wf.at("/on/push/tags/0").asText()).isEqualTo("v*.*.*");
    assertThat(wf.at("/permissions/packages").asText()).isEqualTo("write");
    String text = Files.readString(WORKFLOW);
    assertThat(text)
        .contains("platforms: linux/amd64,linux/arm64")
        .contains("push: true")
        .contains("helm package helm/scalableapp-operator")
        .contains("helm push");
    // The image goes where the chart's default image points.
    JsonNode values = YAML.readTree(HelmChartTest.CHART.resolve("values.yaml").toFile());
    String repository = values.at("/image/repository").asText();
    String image =
        wf.at("/env/IMAGE").asText().replace("${{ github.repository_owner }}", "scalableapp");
    assertThat(image).isEqualTo(repository);
    assertThat(wf.at("/env/CHARTS").asText()).startsWith("oci://ghcr.io/");
  }
}
