package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LifecycleHookConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A region's lifecycle hooks as last read, by group: AWS has no region-wide listing of them, so
 * each group's are read on their own, and only as often as they can have changed.
 */
final class HookReads {
  private final Map<String, List<LifecycleHookConfig>> byGroup = new ConcurrentHashMap<>();

  /** Read now (its turn to be checked for drift), and kept. */
  List<LifecycleHookConfig> read(Cloud cloud, String group) {
    List<LifecycleHookConfig> read = cloud.autoScalingGroups().lifecycleHooks(group);
    byGroup.put(group, read);
    return read;
  }

  /** For an app at rest: as last read, read once if never. */
  List<LifecycleHookConfig> atRest(Cloud cloud, String group) {
    return byGroup.computeIfAbsent(group, g -> cloud.autoScalingGroups().lifecycleHooks(g));
  }

  /**
   * For an app being changed: read again, unless its spec asks for no hook and the group was last
   * seen without any of the operator's (nothing of the change puts one).
   */
  List<LifecycleHookConfig> forChange(Cloud cloud, String group, boolean wanted) {
    List<LifecycleHookConfig> last = byGroup.get(group);
    return !wanted && last != null && !anyOurs(last) ? last : read(cloud, group);
  }

  /** The group carried the operator's hooks when last read: its drift is worth a read. */
  boolean hasOurs(String group) {
    return anyOurs(byGroup.getOrDefault(group, List.of()));
  }

  /** As last read; null if never. */
  List<LifecycleHookConfig> last(String group) {
    return byGroup.get(group);
  }

  void forget(String group) {
    byGroup.remove(group);
  }

  private static boolean anyOurs(List<LifecycleHookConfig> hooks) {
    return hooks.stream().anyMatch(LifecycleHookConfig::ours);
  }
}
