package io.scalableapp.operator.cloud;

import java.util.Map;

/**
 * A launch template as AWS reports it, with the data of its latest version.
 *
 * @param latestData the latest version's data, normalized like the desired data
 */
public record ObservedLaunchTemplate(
    String id,
    String name,
    Map<String, String> tags,
    long latestVersion,
    long defaultVersion,
    LaunchTemplateData latestData) {}
