package io.scalableapp.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.CloudException;
import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.CloudProvider;
import io.scalableapp.operator.cloud.ImageParameters;
import io.scalableapp.sandbox.sim.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Image parameters: read in batches per region, shared, cached for a resync, errors isolated. */
class ImageResolverTest {
  /** SSM in two regions: the values it holds, the names the role may not read, every call. */
  static final class Ssm implements CloudProvider {
    final Map<String, Map<String, String>> values = new HashMap<>();
    final Set<String> denied = new TreeSet<>();
    final List<String> calls = new ArrayList<>();
    CloudException failure;

    @Override
    public Cloud forRegion(String region) {
      ImageParameters port =
          names -> {
            calls.add(region + " " + new TreeSet<>(names));
            if (failure != null) {
              throw failure;
            }
            if (names.stream().anyMatch(denied::contains)) {
              throw new CloudException(
                  Kind.ACCESS_DENIED,
                  "AccessDeniedException",
                  "not authorized to perform: ssm:GetParameters",
                  "GetParameters",
                  null);
            }
            return read(region, names);
          };
      return new Cloud(null, null, null, null, null, null, port);
    }

    private Map<String, String> read(String region, Collection<String> names) {
      var found = new HashMap<String, String>();
      names.forEach(
          n -> {
            String v = values.getOrDefault(region, Map.of()).get(n);
            if (v != null) {
              found.put(n, v);
            }
          });
      return found;
    }

    @Override
    public String region(String region) {
      return region;
    }
  }

  final Ssm ssm = new Ssm();
  final SimClock clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ImageResolver images = new ImageResolver(ssm, clock, Duration.ofMinutes(5));

  @Test
  void aParameterIsReadOnceAResyncAndSharedByTheAppsThatNameIt() {
    ssm.values.put("us-east-1", new HashMap<>(Map.of("/al2023", "ami-1")));

    assertThat(images.resolve("ns/a", "us-east-1", "/al2023")).isEqualTo("ami-1");
    assertThat(images.resolve("ns/b", "us-east-1", "/al2023")).isEqualTo("ami-1");
    assertThat(ssm.calls).hasSize(1);

    ssm.values.get("us-east-1").put("/al2023", "ami-2");
    clock.advance(Duration.ofMinutes(1));
    assertThat(images.resolve("ns/a", "us-east-1", "/al2023")).isEqualTo("ami-1");
    assertThat(ssm.calls).hasSize(1);

    // The poll reads it again, once for both apps, and both see the new image.
    assertThat(images.poll())
        .extracting(ImageResolver.Resolved::owner, ImageResolver.Resolved::imageId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("ns/a", "ami-2"),
            org.assertj.core.groups.Tuple.tuple("ns/b", "ami-2"));
    assertThat(ssm.calls).hasSize(2);
    assertThat(images.resolve("ns/b", "us-east-1", "/al2023")).isEqualTo("ami-2");
    assertThat(ssm.calls).hasSize(2);
  }

  @Test
  void thePollReadsEachRegionInBatchesOfItsOwnParameters() {
    ssm.values.put("us-east-1", Map.of("/x", "ami-1", "/y", "ami-2"));
    ssm.values.put("eu-west-1", Map.of("/x", "ami-3"));
    images.resolve("ns/a", "us-east-1", "/x");
    images.resolve("ns/b", "us-east-1", "/y");
    images.resolve("ns/c", "eu-west-1", "/x");
    ssm.calls.clear();

    var polled = images.poll();

    assertThat(ssm.calls).containsExactlyInAnyOrder("us-east-1 [/x, /y]", "eu-west-1 [/x]");
    assertThat(polled)
        .extracting(ImageResolver.Resolved::owner, ImageResolver.Resolved::imageId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("ns/a", "ami-1"),
            org.assertj.core.groups.Tuple.tuple("ns/b", "ami-2"),
            org.assertj.core.groups.Tuple.tuple("ns/c", "ami-3"));
  }

  @Test
  void aParameterAwsDoesNotHaveIsAnErrorOnImageIdForItsAppOnly() {
    ssm.values.put("us-east-1", Map.of("/x", "ami-1"));
    images.resolve("ns/a", "us-east-1", "/x");

    assertThatThrownBy(() -> images.resolve("ns/b", "us-east-1", "/gone"))
        .isInstanceOfSatisfying(
            CloudException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ParameterNotFound");
              assertThat(e.operation()).isEqualTo("GetParameters");
              assertThat(e.awsMessage()).contains("/gone").contains("us-east-1");
            });
    assertThat(images.poll())
        .extracting(ImageResolver.Resolved::owner, ImageResolver.Resolved::imageId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("ns/a", "ami-1"),
            org.assertj.core.groups.Tuple.tuple("ns/b", null));
  }

  @Test
  void aParameterTheRoleMayNotReadFailsOnlyTheAppsThatNameIt() {
    ssm.values.put("us-east-1", Map.of("/x", "ami-1", "/secret", "ami-9"));
    ssm.denied.add("/secret");
    images.resolve("ns/a", "us-east-1", "/x");
    assertThatThrownBy(() -> images.resolve("ns/b", "us-east-1", "/secret"))
        .isInstanceOfSatisfying(
            CloudException.class, e -> assertThat(e.is(Kind.ACCESS_DENIED)).isTrue());

    var polled = images.poll();

    assertThat(polled)
        .filteredOn(r -> r.owner().equals("ns/a"))
        .singleElement()
        .satisfies(r -> assertThat(r.imageId()).isEqualTo("ami-1"));
    assertThat(polled)
        .filteredOn(r -> r.owner().equals("ns/b"))
        .singleElement()
        .satisfies(r -> assertThat(r.error()).contains("not authorized"));
  }

  @Test
  void aPollAwsCannotAnswerKeepsTheLastReads() {
    ssm.values.put("us-east-1", Map.of("/x", "ami-1"));
    images.resolve("ns/a", "us-east-1", "/x");
    ssm.failure = new CloudException(Kind.TRANSIENT, "ThrottlingException", "Rate exceeded");

    assertThat(images.poll())
        .singleElement()
        .satisfies(r -> assertThat(r.imageId()).isEqualTo("ami-1"));
  }

  @Test
  void anAppThatNoLongerNamesTheParameterIsNotPolledForIt() {
    ssm.values.put("us-east-1", Map.of("/x", "ami-1"));
    images.resolve("ns/a", "us-east-1", "/x");

    images.forget("ns/a");
    ssm.calls.clear();

    assertThat(images.poll()).isEmpty();
    assertThat(ssm.calls).isEmpty();
  }
}
