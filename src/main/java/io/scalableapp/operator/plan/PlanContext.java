package io.scalableapp.operator.plan;

import io.scalableapp.operator.api.ScalableAppSpec;
import io.scalableapp.operator.observe.ObservedApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What one partial planner sees (the desired app, the observed AWS state, memory, the results of
 * the capabilities it depends on) and what it decides (actions, removals, blocked changes, waits,
 * conflicts, memory). The {@link Planner} merges the decisions of all capabilities in order.
 */
public final class PlanContext {
  private final DesiredApp desired;
  private final ObservedApp observed;
  private final Map<Class<? extends PartialPlanner<?>>, Optional<?>> ready;
  private Memory memory;
  private final List<Action> actions = new ArrayList<>();
  private final List<Action> removals = new ArrayList<>();
  private final List<String> blocked = new ArrayList<>();
  private final List<String> waitingFor = new ArrayList<>();
  private final List<String> conflicts = new ArrayList<>();

  /**
   * @param ready the results of the capabilities the planner depends on (and only those)
   */
  public PlanContext(
      DesiredApp desired,
      ObservedApp observed,
      Memory memory,
      Map<Class<? extends PartialPlanner<?>>, Optional<?>> ready) {
    this.desired = desired;
    this.observed = observed;
    this.memory = memory;
    this.ready = Map.copyOf(ready);
  }

  public DesiredApp desired() {
    return desired;
  }

  /** The valid spec (shorthand for {@code desired().spec()}). */
  public ScalableAppSpec spec() {
    return desired.spec();
  }

  public ObservedApp observed() {
    return observed;
  }

  public Memory memory() {
    return memory;
  }

  /**
   * The result of a capability this one depends on: empty while AWS does not match it yet.
   *
   * @throws IllegalStateException if the planner did not declare the dependency
   */
  @SuppressWarnings("unchecked")
  public <R> Optional<R> ready(Class<? extends PartialPlanner<R>> dependency) {
    Optional<?> result = ready.get(dependency);
    if (result == null) {
      throw new IllegalStateException(
          "reads " + dependency.getSimpleName() + " without declaring it in dependsOn()");
    }
    return (Optional<R>) result;
  }

  /** A change to make now, in the order the capabilities depend on each other. */
  public void add(Action action) {
    actions.add(action);
  }

  /** A resource to delete now; removals run after every change, in reverse dependency order. */
  public void remove(Action action) {
    removals.add(action);
  }

  /** A change AWS cannot make in place: reported, not attempted. */
  public void block(String why) {
    blocked.add(why);
  }

  /** Something AWS is still doing that the next step needs. */
  public void waitFor(String what) {
    waitingFor.add(what);
  }

  /** What status should remember once the actions succeed. */
  public void remember(UnaryOperator<Memory> change) {
    memory = change.apply(memory);
  }

  /**
   * Whether a resource found under the app's name carries the app's owner tag; if not, the conflict
   * is recorded and the whole plan changes nothing.
   */
  public boolean owned(String kind, String name, Map<String, String> tags) {
    if (Ownership.owned(desired.ownerKey(), tags)) {
      return true;
    }
    conflicts.add(Ownership.conflict(kind, name, tags));
    return false;
  }

  public List<Action> actions() {
    return List.copyOf(actions);
  }

  public List<Action> removals() {
    return List.copyOf(removals);
  }

  public List<String> blocked() {
    return List.copyOf(blocked);
  }

  public List<String> waitingFor() {
    return List.copyOf(waitingFor);
  }

  public List<String> conflicts() {
    return List.copyOf(conflicts);
  }
}
