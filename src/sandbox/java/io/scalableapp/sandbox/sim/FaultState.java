package io.scalableapp.sandbox.sim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The load and faults set through {@link Faults}, as the Auto Scaling service reads them. */
final class FaultState implements Faults {
  private final Map<String, Double> cpuDemand = new ConcurrentHashMap<>();
  private final Set<String> failingVersions = ConcurrentHashMap.newKeySet();
  private final Map<String, String> failingLaunches = new ConcurrentHashMap<>();
  private final Map<String, Integer> spotInterruptions = new ConcurrentHashMap<>();

  @Override
  public void setCpuDemand(String groupName, double percentOfOneInstance) {
    cpuDemand.put(groupName, percentOfOneInstance);
  }

  @Override
  public void failHealthChecksOf(String templateId, long version) {
    failingVersions.add(templateId + ":" + version);
  }

  @Override
  public void failLaunchesFromImage(String imageId, String message) {
    failingLaunches.put(imageId, message);
  }

  @Override
  public void healLaunches() {
    failingLaunches.clear();
  }

  private final Map<String, String> refusedTypes = new ConcurrentHashMap<>();

  @Override
  public void refuseInstanceType(String instanceType, String message) {
    refusedTypes.put(instanceType, message);
  }

  /** AWS's message refusing a group that launches this type, or null. */
  String typeRefusal(String instanceType) {
    return instanceType == null ? null : refusedTypes.get(instanceType);
  }

  @Override
  public void interruptSpot(String groupName) {
    spotInterruptions.merge(groupName, 1, Integer::sum);
  }

  /** Spot interruptions signalled for the group since the last call. */
  int takeSpotInterruptions(String groupName) {
    Integer n = spotInterruptions.remove(groupName);
    return n == null ? 0 : n;
  }

  double cpuDemand(String groupName) {
    return cpuDemand.getOrDefault(groupName, 0.0);
  }

  boolean failsHealthChecks(String templateId, long version) {
    return failingVersions.contains(templateId + ":" + version);
  }

  /** AWS's message for a launch from this image, or null when it succeeds. */
  String launchFailure(String imageId) {
    return imageId == null ? null : failingLaunches.get(imageId);
  }
}
