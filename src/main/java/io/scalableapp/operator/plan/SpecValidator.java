package io.scalableapp.operator.plan;

import static io.scalableapp.operator.api.ScalableAppSpec.REGION_PATTERN;

import io.scalableapp.operator.api.ScalableAppSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-checks every rule the CRD's schema and CEL rules state, since a CRD can be installed without
 * them (or an older one): an invalid spec must never reach AWS. The fields every AWS resource
 * shares are checked here; each capability checks its own part ({@link PartialPlanner#validate}).
 * Pure.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** Whether two messages are about the same field, or one about a field inside the other's. */
  private static boolean sameField(String unreadable, String problem) {
    String field = unreadable.substring(0, unreadable.indexOf(':'));
    String other = problem.substring(0, problem.indexOf(':'));
    return other.equals(field) || other.startsWith(field + ".") || field.startsWith(other + ".");
  }

  /** One message per broken rule, naming the field; empty when the spec is valid. */
  public static List<String> validate(ScalableAppSpec s) {
    var v = new Problems();
    if (s == null) {
      v.add("spec: required");
      return v.list();
    }
    v.pattern("spec.region", s.region, REGION_PATTERN, false);
    v.oneOf("spec.deletionPolicy", s.deletionPolicy, ScalableAppSpec.DeletionPolicy.class);
    if (s.tags != null) {
      if (s.tags.size() > 40) {
        v.add("spec.tags: at most 40 tags");
      }
      s.tags.keySet().stream()
          .filter(k -> k.startsWith("aws:") || k.startsWith("scalableapp.io/"))
          .forEach(
              k -> v.add("spec.tags: '" + k + "' uses a reserved prefix (aws:, scalableapp.io/)"));
    }
    Planner.validate(s, v);
    if (s.unreadable().isEmpty()) {
      return v.list();
    }
    // What could not be read comes first; a rule about a value that was not read says nothing.
    var out = new ArrayList<>(s.unreadable());
    v.list().stream()
        .filter(p -> s.unreadable().stream().noneMatch(u -> sameField(u, p)))
        .forEach(out::add);
    return out;
  }
}
