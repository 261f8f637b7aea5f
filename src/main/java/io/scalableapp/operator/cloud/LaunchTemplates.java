package io.scalableapp.operator.cloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** EC2 launch templates, each with numbered, immutable versions. */
public interface LaunchTemplates {
  /** The template with this exact name and its latest version; empty when AWS has none. */
  Optional<ObservedLaunchTemplate> find(String name);

  /**
   * Every template in the region tagged as this operator's ({@link Tags#MANAGED_BY}), all pages,
   * without version data ({@code latestData} null: versions never change, so their data is read
   * once per version through {@link #versions}).
   */
  List<ObservedLaunchTemplate> listManaged();

  /**
   * Creates the template with {@code data} as version 1, tagged. Idempotent for the same client
   * token; throws ALREADY_EXISTS when the name is taken.
   *
   * @return the new template's id
   */
  String create(String name, LaunchTemplateData data, Map<String, String> tags, String clientToken);

  /**
   * Adds a version with {@code data}. Idempotent for the same client token.
   *
   * @return the new version number
   */
  long createVersion(String templateId, LaunchTemplateData data, String clientToken);

  /** The data of these numbered versions; a version AWS does not have is missing from the map. */
  Map<Long, LaunchTemplateData> versions(String templateId, Collection<Long> versions);

  /** Sets and removes tags of the template itself; NotFound for a template that is gone. */
  void retag(String templateId, TagChange change);

  /** Deletes the template and all its versions; NotFound counts as done. */
  void delete(String templateId);

  /** Makes {@code version} the template's default version. */
  void setDefaultVersion(String templateId, long version);

  /**
   * Deletes the given numbered versions; versions already gone count as done. Never pass the
   * default version (AWS refuses it).
   */
  void deleteVersions(String templateId, List<Long> versions);
}
