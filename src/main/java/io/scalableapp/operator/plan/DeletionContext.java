package io.scalableapp.operator.plan;

import io.scalableapp.operator.observe.ObservedApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one partial planner sees when the app is deleted (its owner, names and the observed AWS
 * state; the spec may be invalid by then) and what it decides (removals, waits, conflicts).
 */
public final class DeletionContext {
  private final String ownerKey;
  private final AppNames names;
  private final ObservedApp observed;
  private final List<Action> removals = new ArrayList<>();
  private final List<String> waitingFor = new ArrayList<>();
  private final List<String> conflicts = new ArrayList<>();

  public DeletionContext(String ownerKey, AppNames names, ObservedApp observed) {
    this.ownerKey = ownerKey;
    this.names = names;
    this.observed = observed;
  }

  public AppNames names() {
    return names;
  }

  public ObservedApp observed() {
    return observed;
  }

  /** A resource to delete now. */
  public void remove(Action action) {
    removals.add(action);
  }

  /** Something AWS is still deleting. */
  public void waitFor(String what) {
    waitingFor.add(what);
  }

  /** Whether the tags name the app as owner; if not, the conflict is recorded. */
  public boolean owned(String kind, String name, Map<String, String> tags) {
    if (ours(tags)) {
      return true;
    }
    conflicts.add(Ownership.conflict(kind, name, tags));
    return false;
  }

  /** Whether the tags name the app as owner, recording nothing. */
  public boolean ours(Map<String, String> tags) {
    return Ownership.owned(ownerKey, tags);
  }

  public List<Action> removals() {
    return List.copyOf(removals);
  }

  public List<String> waitingFor() {
    return List.copyOf(waitingFor);
  }

  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }
}
