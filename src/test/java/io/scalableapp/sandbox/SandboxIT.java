package io.scalableapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.testing.Moto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sandbox as a user runs it, with a fast clock, so it cannot silently rot. */
class SandboxIT {
  record Run(int exit, String out) {}

  static Run sandbox(String... args) {
    var bytes = new ByteArrayOutputStream();
    int exit;
    try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exit = Sandbox.run(List.of(args), out);
    }
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void playsTheEmployeeDirectoryStoryOnTheSimulatedCloud() {
    Run run = sandbox("--speed", "1000");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("simulated AWS")
        .contains("==> step 8/8")
        .contains("every step observed")
        .contains("employee-directory")
        .as("HTTPS first, then HTTP redirected to it")
        .containsSubsequence(
            "CreateListener: no HTTPS listener on port 443",
            "ModifyListener: listener on port 80: forward to",
            "-> redirect to HTTPS:443")
        .containsPattern("aws: us-west-2a: \\d x t3.micro \\| us-west-2b: \\d x t3.micro")
        .containsPattern("aws: us-west-2a: 3 x t3.micro \\| us-west-2b: 3 x t3.micro")
        .as("leaving instances wait on the drain hook")
        .containsPattern("\\| Terminating:Wait [1-9]")
        .as("a new Amazon Linux 2023 image rolled out with no spec change")
        .contains("AWS publishes a new image under /aws/service/ami-amazon-linux-latest/")
        .contains("imageId ami-0a2023a2023a2023a -> ami-0d2026d2026d2026d")
        .contains("event: Normal RolloutStarted")
        .contains("event: Normal RolloutSucceeded")
        .containsPattern("us-west-2a: 1 x t3.small \\| us-west-2b: 1 x t3.small")
        .contains("refresh RollbackSuccessful toward v4")
        .contains("event: Warning RolledBack")
        .contains("launch template version 3 -> 5");
    assertThat(run.out().lines().filter(l -> l.startsWith("    observed:"))).hasSize(8);
    assertThat(run.out())
        .as("the good image again: its instances already run it")
        .contains("none is replaced; Ready");
    assertThat(run.out().lines().filter(l -> l.contains("lowest healthy in service")))
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).endsWith(": 2 (floor 2)"));
  }

  @Test
  void playsTheSpotExampleThroughAnInterruptionReplacedAheadByCapacityRebalancing() {
    Run run = sandbox("--speed", "1000", "--manifest", "examples/employee-directory-spot.yaml");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("every step observed")
        .containsPattern("\\| spot [1-9]")
        .contains("EC2 interrupts a Spot instance")
        .containsPattern("fewest in service meanwhile: 2 of 2 \\(replaced before it went\\)")
        .contains("kubectl patch: instances.types [t3.micro, t3a.micro, t3.small, t3a.small]");
  }

  @Test
  void playsTheWarmPoolExampleWithAScaleOutFasterThanAColdLaunch() {
    Run run =
        sandbox("--speed", "1000", "--manifest", "examples/employee-directory-warm-pool.yaml");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("every step observed")
        .containsPattern("\\| warm [1-9]")
        .containsPattern("\\d+ from the warm pool in service after \\d+ s; \\d+ cold launch");
  }

  @Test
  void playsAUsersOwnManifestAndSkipsWhatItCannotPlay(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("mine.yaml");
    Files.copy(Path.of("examples/minimal.yaml"), manifest);

    Run run =
        sandbox("--speed", "1000", "--manifest", manifest.toString(), "--new-type", "t3.large");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("skipped: spec.scaling is unset")
        .contains("t3.nano -> t3.large")
        .containsPattern("1 x t3.large \\| .*1 x t3.large");
  }

  @Test
  void invalidManifestIsRefusedWithItsProblems(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("bad.yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("examples/minimal.yaml"))
            .replace("capacity: {min: 2, max: 2}", "capacity: {min: 3, max: 2}"));

    Run run = sandbox("--manifest", manifest.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).contains("min (3) must be <= max (2)");
  }

  @Test
  void unknownOptionPrintsUsage() {
    Run run = sandbox("--fast");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).contains("unknown option --fast").contains("--aws-endpoint URL");
  }

  @Test
  void playsWhatAnEmulatorCanAgainstMoto() {
    Moto.reset();
    Run run =
        sandbox(
            "--aws-endpoint", Moto.endpoint().toString(), "--manifest", "examples/minimal.yaml");

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("AWS adapters against the emulator")
        .contains("skipped: an emulator has no CPU signal")
        .contains("skipped: moto has no instance refresh")
        .contains("observed: kubectl delete: every AWS resource removed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "examples/employee-directory-spot.yaml",
        "examples/employee-directory-warm-pool.yaml"
      })
  void playsTheSpotAndWarmPoolExamplesAgainstMoto(String manifest) {
    // The AWS adapters on moto, no fixture: a mixed group and a warm pool are created, kept (moto's
    // DescribeWarmPool answer reads empty; the group's own answer stands) and deleted.
    Moto.reset();
    Run run = sandbox("--aws-endpoint", Moto.endpoint().toString(), "--manifest", manifest);

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("observed: the fleet comes up")
        .contains("observed: kubectl delete: every AWS resource removed");
  }
}
