package io.scalableapp.sandbox.sim;

import static io.scalableapp.sandbox.sim.World.error;

import io.scalableapp.operator.cloud.CloudException.Kind;
import io.scalableapp.operator.cloud.LaunchTemplateData;
import io.scalableapp.operator.cloud.LaunchTemplates;
import io.scalableapp.operator.cloud.ObservedLaunchTemplate;
import io.scalableapp.operator.cloud.TagChange;
import io.scalableapp.operator.cloud.Tags;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** EC2 launch templates: numbered, immutable versions, client tokens, a default version. */
final class SimLaunchTemplates implements LaunchTemplates {
  private final World world;
  private final Map<String, Template> byName = new LinkedHashMap<>();
  private final Map<String, String> tokens = new HashMap<>();

  private static final class Template {
    String id;
    String name;
    Map<String, String> tags;
    TreeMap<Long, LaunchTemplateData> versions = new TreeMap<>();
    Map<String, Long> versionTokens = new HashMap<>();
    long latest;
    long defaultVersion = 1;
  }

  SimLaunchTemplates(World world) {
    this.world = world;
  }

  /** A version's data, for a launch; empty when the template or version does not exist. */
  synchronized Optional<LaunchTemplateData> version(String templateId, long version) {
    return byId(templateId).map(t -> t.versions.get(version));
  }

  @Override
  public Optional<ObservedLaunchTemplate> find(String name) {
    world.tick();
    synchronized (this) {
      return Optional.ofNullable(byName.get(name))
          .map(
              t ->
                  new ObservedLaunchTemplate(
                      t.id,
                      t.name,
                      Map.copyOf(t.tags),
                      t.latest,
                      t.defaultVersion,
                      t.versions.get(t.latest)));
    }
  }

  @Override
  public List<ObservedLaunchTemplate> listManaged() {
    world.tick();
    synchronized (this) {
      return byName.values().stream()
          .filter(t -> Tags.MANAGER.equals(t.tags.get(Tags.MANAGED_BY)))
          .map(
              t ->
                  new ObservedLaunchTemplate(
                      t.id, t.name, Map.copyOf(t.tags), t.latest, t.defaultVersion, null))
          .toList();
    }
  }

  @Override
  public String create(
      String name, LaunchTemplateData data, Map<String, String> tags, String clientToken) {
    world.tick();
    synchronized (this) {
      String earlier = tokens.get(clientToken);
      if (earlier != null) {
        return earlier;
      }
      if (byName.containsKey(name)) {
        throw error(
            Kind.ALREADY_EXISTS,
            "InvalidLaunchTemplateName.AlreadyExistsException",
            "Launch template name already in use.",
            "CreateLaunchTemplate");
      }
      var t = new Template();
      t.id = "lt-" + world.hex(17);
      t.name = name;
      t.tags = new LinkedHashMap<>(tags);
      t.versions.put(1L, data);
      t.latest = 1;
      byName.put(name, t);
      tokens.put(clientToken, t.id);
      return t.id;
    }
  }

  @Override
  public long createVersion(String templateId, LaunchTemplateData data, String clientToken) {
    world.tick();
    synchronized (this) {
      Template t = existing(templateId, "CreateLaunchTemplateVersion");
      Long earlier = t.versionTokens.get(clientToken);
      if (earlier != null) {
        return earlier;
      }
      t.latest++;
      t.versions.put(t.latest, data);
      t.versionTokens.put(clientToken, t.latest);
      return t.latest;
    }
  }

  @Override
  public Map<Long, LaunchTemplateData> versions(String templateId, Collection<Long> versions) {
    world.tick();
    synchronized (this) {
      var out = new TreeMap<Long, LaunchTemplateData>();
      byId(templateId)
          .ifPresent(
              t ->
                  versions.stream()
                      .filter(t.versions::containsKey)
                      .forEach(v -> out.put(v, t.versions.get(v))));
      return out;
    }
  }

  @Override
  public void retag(String templateId, TagChange change) {
    world.tick();
    synchronized (this) {
      Template t = existing(templateId, "CreateTags");
      t.tags.putAll(change.set());
      change.remove().forEach(t.tags::remove);
    }
  }

  @Override
  public void delete(String templateId) {
    world.tick();
    synchronized (this) {
      byName.values().removeIf(t -> t.id.equals(templateId));
    }
  }

  @Override
  public void setDefaultVersion(String templateId, long version) {
    world.tick();
    synchronized (this) {
      Template t = existing(templateId, "ModifyLaunchTemplate");
      if (!t.versions.containsKey(version)) {
        throw error(
            Kind.INVALID_REQUEST,
            "InvalidLaunchTemplateId.VersionNotFound",
            "Could not find launch template version " + version,
            "ModifyLaunchTemplate");
      }
      t.defaultVersion = version;
    }
  }

  @Override
  public void deleteVersions(String templateId, List<Long> versions) {
    world.tick();
    synchronized (this) {
      Template t = existing(templateId, "DeleteLaunchTemplateVersions");
      if (versions.contains(t.defaultVersion)) {
        throw error(
            Kind.INVALID_REQUEST,
            "InvalidLaunchTemplateId.CannotDeleteDefault",
            "Cannot delete the default version " + t.defaultVersion,
            "DeleteLaunchTemplateVersions");
      }
      versions.forEach(t.versions::remove);
    }
  }

  private Optional<Template> byId(String id) {
    return byName.values().stream().filter(t -> t.id.equals(id)).findFirst();
  }

  /** Throws as AWS does for a template (NOT_FOUND) or a version (INVALID_REQUEST) it lacks. */
  synchronized void requireVersion(String templateId, long version, String operation) {
    if (!existing(templateId, operation).versions.containsKey(version)) {
      throw error(
          Kind.INVALID_REQUEST,
          "ValidationError",
          "The specified launch template version " + version + " does not exist",
          operation);
    }
  }

  private Template existing(String id, String operation) {
    return byId(id)
        .orElseThrow(
            () ->
                error(
                    Kind.NOT_FOUND,
                    "InvalidLaunchTemplateId.NotFound",
                    "The specified launch template, with template ID " + id + ", does not exist.",
                    operation));
  }
}
