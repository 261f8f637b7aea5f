package io.scalableapp.operator.plan;

import java.util.List;

/**
 * The planner's answer: actions to take now, in order, and what stops progress.
 *
 * @param actions changes to make now; later stages (e.g. the group after its launch template) show
 *     up in the next plan, made from a fresh observation
 * @param conflicts resources under the app's names owned by someone else: nothing is changed
 * @param blocked changes AWS cannot make in place, reported and not attempted
 * @param waitingFor what AWS is still doing that the next step needs (e.g. a group being deleted)
 * @param memory what to remember once the actions succeed
 */
public record Plan(
    List<Action> actions,
    List<String> conflicts,
    List<String> blocked,
    List<String> waitingFor,
    Memory memory) {

  /** The value of status.appliedDesiredCapacity once the actions succeed. */
  public Integer appliedDesired() {
    return memory.appliedDesired();
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  public boolean hasConflict() {
    return !conflicts.isEmpty();
  }

  public List<String> describe() {
    return actions.stream().map(Action::describe).toList();
  }
}
