package io.scalableapp.operator.observe;

import io.scalableapp.operator.cloud.Cloud;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.ObservedGroup;
import io.scalableapp.operator.cloud.ObservedInstance;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Launch template versions' data, cached by (template, version): a version never changes, so each
 * is read once.
 */
final class TemplateVersions {
  private final Map<String, LaunchTemplateData> byVersion = new ConcurrentHashMap<>();

  /**
   * The versions the group launches and its instances run, when it launches this template: a
   * rollout needs their data to see whether those instances run what the spec asks.
   */
  static Set<Long> inUse(ObservedLaunchTemplate lt, ObservedGroup g) {
    Set<Long> used = new TreeSet<>();
    if (!lt.id().equals(g.launchTemplateId())) {
      return used;
    }
    if (g.launchTemplateVersion() != null) {
      used.add(g.launchTemplateVersion());
    }
    g.instances().stream()
        .map(ObservedInstance::launchTemplateVersion)
        .filter(Objects::nonNull)
        .forEach(used::add);
    return used;
  }

  /** What a read by name found. */
  void learn(ObservedLaunchTemplate lt) {
    if (lt.latestData() != null) {
      byVersion.put(key(lt.id(), lt.latestVersion()), lt.latestData());
    }
    lt.olderVersions().forEach((v, data) -> byVersion.put(key(lt.id(), v), data));
  }

  /** The template with the data of its latest version and of the older ones in use. */
  ObservedLaunchTemplate withData(
      Cloud cloud, ObservedLaunchTemplate t, Optional<ObservedGroup> group) {
    Set<Long> wanted = new TreeSet<>();
    wanted.add(t.latestVersion());
    group.ifPresent(g -> wanted.addAll(inUse(t, g)));
    List<Long> missing =
        wanted.stream().filter(v -> !byVersion.containsKey(key(t.id(), v))).toList();
    if (!missing.isEmpty()) {
      cloud
          .launchTemplates()
          .versions(t.id(), missing)
          .forEach((v, d) -> byVersion.put(key(t.id(), v), d));
    }
    var older = new HashMap<Long, LaunchTemplateData>();
    wanted.stream()
        .filter(v -> v != t.latestVersion())
        .forEach(
            v -> {
              var d = byVersion.get(key(t.id(), v));
              if (d != null) {
                older.put(v, d);
              }
            });
    return new ObservedLaunchTemplate(
            t.id(),
            t.name(),
            t.tags(),
            t.latestVersion(),
            t.defaultVersion(),
            byVersion.get(key(t.id(), t.latestVersion())))
        .withOlderVersions(older);
  }

  private static String key(String templateId, long version) {
    return templateId + ":" + version;
  }
}
