package io.scalableapp.operator.cloud;

import java.util.Map;

/**
 * A launch template as AWS reports it, with the data of its latest version.
 *
 * @param latestData the latest version's data, normalized like the desired data
 * @param olderVersions the data of older versions the group or its instances still use, where it
 *     was read (a rollout reads them to see whether those instances need replacing)
 */
public record ObservedLaunchTemplate(
    String id,
    String name,
    Map<String, String> tags,
    long latestVersion,
    long defaultVersion,
    LaunchTemplateData latestData,
    Map<Long, LaunchTemplateData> olderVersions) {

  public ObservedLaunchTemplate {
    olderVersions = Map.copyOf(olderVersions);
  }

  /** Without older versions read. */
  public ObservedLaunchTemplate(
      String id,
      String name,
      Map<String, String> tags,
      long latestVersion,
      long defaultVersion,
      LaunchTemplateData latestData) {
    this(id, name, tags, latestVersion, defaultVersion, latestData, Map.of());
  }

  /** The same template with the data of these older versions. */
  public ObservedLaunchTemplate withOlderVersions(Map<Long, LaunchTemplateData> versions) {
    return new ObservedLaunchTemplate(
        id, name, tags, latestVersion, defaultVersion, latestData, versions);
  }

  /** A version's data, where it was read. */
  public LaunchTemplateData data(long version) {
    return version == latestVersion ? latestData : olderVersions.get(version);
  }
}
