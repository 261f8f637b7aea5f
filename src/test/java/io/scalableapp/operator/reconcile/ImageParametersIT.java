package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalableapp.operator.api.Condition;
import io.scalableapp.operator.api.RolloutSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.Moto;
import io.scalableapp.operator.testing.OperatorOnMoto;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code imageId: resolve:ssm:<parameter>} on moto, end to end: the operator reads the parameter
 * with SSM's GetParameters, launches the image it holds, shows it in status, and rolls out a new
 * value (a new image published) unless rollout.followImageParameter is false. A parameter AWS does
 * not have is Degraded on spec.imageId and creates nothing.
 */
class ImageParametersIT {
  static final String NS = "img";
  static final Duration WAIT = OperatorOnMoto.WAIT;
  static final String AL2023 =
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

  /** A fresh world for each test (JUnit makes a test instance per test). */
  final OperatorOnMoto world = new OperatorOnMoto();

  @AfterEach
  void close() {
    world.close();
  }

  ScalableApp create(String name, String parameter, Boolean follow) {
    var app = Apps.web(NS, name, world.subnets);
    app.getSpec().imageId = "resolve:ssm:" + parameter;
    if (follow != null) {
      app.getSpec().rollout = new RolloutSpec();
      app.getSpec().rollout.followImageParameter = follow;
    }
    return world.cluster.apply(app);
  }

  ScalableApp awaitApp(String name, String what, Predicate<ScalableApp> done) {
    return world.awaitApp(NS, name, what, done);
  }

  /** The image the app's launch template launches now (its latest version), as AWS holds it. */
  String templateImage(String name) {
    return world
        .counted
        .forRegion(null)
        .launchTemplates()
        .find(AppNames.of(NS, name).launchTemplate())
        .orElseThrow()
        .latestData()
        .imageId();
  }

  static boolean ready(ScalableApp a) {
    return OperatorOnMoto.ready(a);
  }

  @Test
  void awsPublicAmazonLinuxParameterIsLaunchedAsTheImageItHolds() {
    String published;
    try (var ssm = Moto.ssm()) {
      published = ssm.getParameters(r -> r.names(AL2023)).parameters().get(0).value();
    }

    create("al2023", AL2023, null);

    var app = awaitApp("al2023", "Ready", a -> ready(a));
    assertThat(app.getStatus().image.parameter).isEqualTo("resolve:ssm:" + AL2023);
    assertThat(app.getStatus().image.imageId).isEqualTo(published);
    assertThat(app.getStatus().image.latest).isNull();
    assertThat(templateImage("al2023")).isEqualTo(published);
  }

  @Test
  void aNewImageUnderTheParameterIsRolledOutAndReadOncePerResync() throws Exception {
    Moto.putParameter("/web/golden-ami", "ami-00000000000000001");
    create("web", "/web/golden-ami", null);
    awaitApp(
        "web",
        "Ready on the first image",
        a -> ready(a) && "ami-00000000000000001".equals(a.getStatus().image.imageId));

    Moto.putParameter("/web/golden-ami", "ami-00000000000000002");

    // Noticed at the next poll of the parameters (2 s here), with no change to the app.
    awaitApp(
        "web",
        "the new image in its launch template",
        a -> "ami-00000000000000002".equals(a.getStatus().image.imageId));
    assertThat(templateImage("web")).isEqualTo("ami-00000000000000002");
    var lt =
        world
            .counted
            .forRegion(null)
            .launchTemplates()
            .find(AppNames.of(NS, "web").launchTemplate())
            .orElseThrow();
    assertThat(lt.latestVersion()).isEqualTo(2);

    // At rest, the parameter is read about once per resync interval (2 s), not per reconcile.
    awaitApp("web", "Ready on the new image", a -> ready(a) && a.getStatus().rollout != null);
    world.counted.resetCounts();
    Thread.sleep(6_000);
    assertThat(world.counted.calls("ImageParameters.values")).isBetween(1, 5);
  }

  @Test
  void notFollowingTheParameterKeepsTheResolvedImageAndShowsTheNewOne() throws Exception {
    Moto.putParameter("/web/pinned-ami", "ami-00000000000000001");
    create("pinned", "/web/pinned-ami", false);
    awaitApp("pinned", "Ready", a -> ready(a) && a.getStatus().image != null);

    Moto.putParameter("/web/pinned-ami", "ami-00000000000000002");

    var app =
        awaitApp(
            "pinned",
            "the new image shown, not rolled out",
            a -> "ami-00000000000000002".equals(a.getStatus().image.latest));
    assertThat(app.getStatus().image.imageId).isEqualTo("ami-00000000000000001");
    assertThat(ready(app)).isTrue();
    Thread.sleep(4_000);
    assertThat(templateImage("pinned")).isEqualTo("ami-00000000000000001");
    assertThat(world.counted.calls("LaunchTemplates.createVersion")).isZero();
  }

  @Test
  void aParameterAwsDoesNotHaveIsDegradedOnImageIdCreatesNothingAndRecovers() {
    create("missing", "/web/not-yet", null);

    var app =
        awaitApp(
            "missing",
            "Degraded",
            a ->
                a.getStatus().phase == Phase.Degraded
                    && a.getStatus().condition(Condition.DEGRADED).isPresent());
    var degraded = app.getStatus().condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.reason).isEqualTo("AwsError");
    assertThat(degraded.message)
        .startsWith("spec.imageId: ")
        .contains("ParameterNotFound")
        .contains("/web/not-yet");
    assertThat(world.counted.mutatingCalls()).as("calls that change AWS").isZero();

    Moto.putParameter("/web/not-yet", "ami-00000000000000003");

    awaitApp("missing", "Ready once the parameter exists", a -> ready(a));
    assertThat(templateImage("missing")).isEqualTo("ami-00000000000000003");
  }
}
