package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.LifecycleSpec;
import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import io.scalableapp.operator.cloud.ObservedGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The group's lifecycle hooks (spec.lifecycle): a termination hook for a graceful drain, a launch
 * hook that waits for the app. A new group is created with them (so that its first instances wait
 * too); an existing one gets them put, changed and removed here. Hooks not named {@code sapp-*} are
 * someone else's and left alone. Every hook ends at its heartbeat timeout with CONTINUE, so none
 * holds a scale-in or a rollout for longer; deleting the group ends the waits at once.
 */
public final class LifecycleHookPlanner implements PartialPlanner<Void> {
  @Override
  public List<Class<? extends PartialPlanner<?>>> dependsOn() {
    return List.of(GroupPlanner.class);
  }

  @Override
  public void validate(ScalableAppSpec s, Problems v) {
    if (s.lifecycle != null) {
      v.range(
          "spec.lifecycle.drainSeconds",
          s.lifecycle.drainSeconds,
          LifecycleHookConfig.MIN_TIMEOUT,
          LifecycleHookConfig.MAX_TIMEOUT,
          false);
      v.range(
          "spec.lifecycle.launchTimeoutSeconds",
          s.lifecycle.launchTimeoutSeconds,
          LifecycleHookConfig.MIN_TIMEOUT,
          LifecycleHookConfig.MAX_TIMEOUT,
          false);
    }
  }

  /** The hooks the spec asks for. */
  public static List<LifecycleHookConfig> desired(ScalableAppSpec s) {
    LifecycleSpec l = s.lifecycle;
    var hooks = new ArrayList<LifecycleHookConfig>();
    if (l != null && l.drainSeconds != null) {
      hooks.add(LifecycleHookConfig.drain(l.drainSeconds));
    }
    if (l != null && l.launchTimeoutSeconds != null) {
      hooks.add(LifecycleHookConfig.launch(l.launchTimeoutSeconds));
    }
    return hooks;
  }

  @Override
  public Optional<Void> plan(PlanContext c) {
    Optional<ObservedGroup> group = c.ready(GroupPlanner.class);
    Optional<List<LifecycleHookConfig>> seen = c.observed().lifecycleHooks();
    if (group.isEmpty() || seen.isEmpty()) {
      // No group yet (it is created with the hooks), or its hooks were not read.
      return Optional.empty();
    }
    String name = group.get().name();
    List<LifecycleHookConfig> want = desired(c.spec());
    for (LifecycleHookConfig hook : want) {
      Optional<LifecycleHookConfig> now =
          seen.get().stream().filter(h -> h.name().equals(hook.name())).findFirst();
      if (now.isEmpty()) {
        c.add(
            new PutLifecycleHook(name, hook, "lifecycle hook " + hook.name() + " does not exist"));
      } else if (!now.get().equals(hook)) {
        c.add(
            new PutLifecycleHook(
                name,
                hook,
                "lifecycle hook "
                    + hook.name()
                    + ": heartbeat timeout "
                    + now.get().heartbeatTimeoutSeconds()
                    + " s -> "
                    + hook.heartbeatTimeoutSeconds()
                    + " s, "
                    + now.get().transition()
                    + " -> "
                    + hook.transition()
                    + ", default result "
                    + now.get().defaultResult()
                    + " -> "
                    + hook.defaultResult()));
      }
    }
    seen.get().stream()
        .filter(LifecycleHookConfig::ours)
        .filter(h -> want.stream().noneMatch(w -> w.name().equals(h.name())))
        .forEach(
            h ->
                c.remove(
                    new DeleteLifecycleHook(
                        name, h.name(), "lifecycle hook " + h.name() + " is not in the spec")));
    return Optional.empty();
  }

  @Override
  public boolean delete(DeletionContext c) {
    // The group is deleted with ForceDelete: its hooks, and any instance waiting on them, go too.
    return true;
  }

  public record PutLifecycleHook(String groupName, LifecycleHookConfig hook, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().putLifecycleHook(groupName, hook);
    }
  }

  public record DeleteLifecycleHook(String groupName, String hookName, String reason)
      implements Action {
    @Override
    public void apply(Cloud cloud) {
      cloud.autoScalingGroups().deleteLifecycleHook(groupName, hookName);
    }
  }
}
