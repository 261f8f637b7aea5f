package io.scalableapp.operator.cloud;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What makes a resource's tags the wanted ones: tags to set (new keys, changed values) and keys to
 * remove (tags the app does not want, such as one dropped from spec.tags or added by hand). AWS's
 * own tags ({@code aws:}) can be neither set nor removed, and are left alone.
 */
public record TagChange(Map<String, String> set, Set<String> remove) {
  public static final String AWS_PREFIX = "aws:";

  public TagChange {
    set = Map.copyOf(new TreeMap<>(set));
    remove = Set.copyOf(new TreeSet<>(remove));
  }

  /** From the tags a resource has to the wanted ones. */
  public static TagChange between(Map<String, String> wanted, Map<String, String> has) {
    return between(wanted, has, Set.of());
  }

  /**
   * From the tags a resource has to the wanted ones, setting {@code stale} keys again even where
   * the value is right (an Auto Scaling group's tag that does not propagate to instances).
   */
  public static TagChange between(
      Map<String, String> wanted, Map<String, String> has, Set<String> stale) {
    var set = new TreeMap<String, String>();
    wanted.forEach(
        (k, v) -> {
          if (!v.equals(has.get(k)) || stale.contains(k)) {
            set.put(k, v);
          }
        });
    var remove = new TreeSet<String>();
    has.keySet().stream()
        .filter(k -> !wanted.containsKey(k) && !k.startsWith(AWS_PREFIX))
        .forEach(remove::add);
    return new TagChange(set, remove);
  }

  public boolean isEmpty() {
    return set.isEmpty() && remove.isEmpty();
  }

  /** For the action's reason: {@code team=ops, +cost=42, -old}. */
  public String describe(Map<String, String> has) {
    var parts = new ArrayList<String>();
    new TreeMap<>(set).forEach((k, v) -> parts.add((has.containsKey(k) ? "" : "+") + k + "=" + v));
    new TreeSet<>(remove).forEach(k -> parts.add("-" + k));
    return "tags " + String.join(", ", parts);
  }
}
