package io.scalableapp.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AWS's names become typed, normalised values once, whichever implementation reports them. */
class AwsFactsTest {
  @Test
  void everyRefreshStatusAwsDocumentsIsKnownAndAnUnknownOneBlocksANewRefresh() {
    for (String aws :
        software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus.knownValues()
            .stream()
            .map(Object::toString)
            .toList()) {
      assertThat(RefreshStatus.of(aws).name()).as(aws).isEqualTo(aws);
    }
    assertThat(RefreshStatus.of("SomethingNewer").active()).isTrue();
    assertThat(Arrays.stream(RefreshStatus.values()).filter(RefreshStatus::active).map(Enum::name))
        .containsExactlyInAnyOrder(
            "Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking");
    assertThat(Arrays.stream(RefreshStatus.values()).filter(RefreshStatus::failed).map(Enum::name))
        .containsExactlyInAnyOrder(
            "Failed", "RollbackInProgress", "RollbackFailed", "RollbackSuccessful");
  }

  @Test
  void lifecycleStatesKeepAwsNamesAndSayWhichInstancesAreLeaving() {
    for (var sdk : software.amazon.awssdk.services.autoscaling.model.LifecycleState.knownValues()) {
      String aws = sdk.toString();
      if (!aws.startsWith("Warmed:")) {
        assertThat(LifecycleState.of(aws).awsName()).as(aws).isEqualTo(aws);
      }
    }
    assertThat(LifecycleState.of("Terminating:Wait").leaving()).isTrue();
    assertThat(LifecycleState.of("Detached").leaving()).isTrue();
    assertThat(LifecycleState.of("Pending:Wait").leaving()).isFalse();
    assertThat(LifecycleState.of("InService").inService()).isTrue();
    assertThat(LifecycleState.of("Warmed:Running")).isEqualTo(LifecycleState.Unknown);
  }

  @Test
  void groupsHoldSortedSubnetsAndTargetGroupsWhoeverMakesThem() {
    var g =
        new ObservedGroup(
            "g",
            "arn",
            1,
            2,
            1,
            List.of("subnet-b", "subnet-a"),
            "lt",
            1L,
            List.of("arn:tg/2", "arn:tg/1"),
            HealthCheckType.of(null),
            Map.of(),
            List.of(),
            false,
            Set.of());
    assertThat(g.subnetIds()).containsExactly("subnet-a", "subnet-b");
    assertThat(g.targetGroupArns()).containsExactly("arn:tg/1", "arn:tg/2");
    assertThat(g.healthCheckType()).isEqualTo(HealthCheckType.EC2);
  }

  @Test
  void refreshPreferencesCarryAwsDefaultsAndRules() {
    var defaults = RefreshPreferences.withDefaults(null, null, null, null, null);
    assertThat(defaults)
        .isEqualTo(
            new RefreshPreferences(
                RefreshPreferences.DEFAULT_MIN_HEALTHY,
                RefreshPreferences.DEFAULT_MAX_HEALTHY,
                null,
                true,
                true));
    assertThat(defaults.violations()).isEmpty();
    assertThat(RefreshPreferences.withDefaults(100, 100, null, null, null).violations())
        .singleElement()
        .asString()
        .contains("maxHealthyPercentage above 100");
    assertThat(RefreshPreferences.withDefaults(50, 200, null, null, null).violations())
        .singleElement()
        .asString()
        .contains("at most 100");
  }
}
