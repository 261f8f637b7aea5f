package io.scalableapp.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scalableapp.operator.api.LifecycleSpec;
import io.scalableapp.operator.api.ScalableApp;
import io.scalableapp.operator.api.ScalableAppStatus.Phase;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.plan.AppNames;
import io.scalableapp.operator.testing.Apps;
import io.scalableapp.operator.testing.OperatorOnMoto;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * spec.lifecycle on moto, end to end: the group gets the drain and launch hooks, a change is put in
 * place, a hook deleted by hand comes back at the next poll, a hook someone else added is left
 * alone, dropping spec.lifecycle removes the operator's hooks only, and the app's deletion is not
 * held by them.
 */
class LifecycleIT {
  static final String NS = "drain";
  static final Duration WAIT = OperatorOnMoto.WAIT;

  /** A fresh world for each test (JUnit makes a test instance per test). */
  final OperatorOnMoto world = new OperatorOnMoto();

  @AfterEach
  void close() {
    world.close();
  }

  String group() {
    return AppNames.of(NS, "web").autoScalingGroup();
  }

  List<LifecycleHookConfig> hooks() {
    return world.counted.forRegion(null).autoScalingGroups().lifecycleHooks(group());
  }

  void awaitHooks(String what, LifecycleHookConfig... expected) {
    await()
        .atMost(WAIT)
        .alias(what)
        .untilAsserted(() -> assertThat(hooks()).containsExactlyInAnyOrder(expected));
  }

  @Test
  void theGroupsHooksFollowTheSpecAndNeverHoldItsDeletion() {
    var app = Apps.web(NS, "web", world.subnets);
    app.getSpec().lifecycle = new LifecycleSpec();
    app.getSpec().lifecycle.drainSeconds = 60;
    app.getSpec().lifecycle.launchTimeoutSeconds = 300;
    world.cluster.apply(app);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ScalableApp a = world.cluster.get(NS, "web");
              return a != null && a.getStatus() != null && a.getStatus().phase == Phase.Ready;
            });
    awaitHooks(
        "created with the group", LifecycleHookConfig.drain(60), LifecycleHookConfig.launch(300));

    world.cluster.edit(NS, "web", a -> a.getSpec().lifecycle.drainSeconds = 120);
    awaitHooks(
        "a longer drain, put in place",
        LifecycleHookConfig.drain(120),
        LifecycleHookConfig.launch(300));

    var theirs =
        new LifecycleHookConfig(
            "audit-logs", LifecycleHookConfig.TERMINATING, 300, LifecycleHookConfig.CONTINUE);
    world.counted.forRegion(null).autoScalingGroups().putLifecycleHook(group(), theirs);
    world
        .counted
        .forRegion(null)
        .autoScalingGroups()
        .deleteLifecycleHook(group(), LifecycleHookConfig.DRAIN);
    awaitHooks(
        "the drain hook deleted by hand is back; theirs stays",
        LifecycleHookConfig.drain(120),
        LifecycleHookConfig.launch(300),
        theirs);

    world.cluster.edit(NS, "web", a -> a.getSpec().lifecycle = null);
    awaitHooks("the operator's hooks removed, theirs left alone", theirs);

    world.client.resources(ScalableApp.class).inNamespace(NS).withName("web").delete();
    await().atMost(WAIT).until(() -> world.cluster.get(NS, "web") == null);
    assertThat(world.counted.forRegion(null).autoScalingGroups().find(group())).isEmpty();
  }
}
