package io.scalableapp.operator.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The broken rules of a spec, one message each, naming the field. */
public final class Problems {
  private final List<String> list = new ArrayList<>();

  public void add(String message) {
    list.add(message);
  }

  public List<String> list() {
    return List.copyOf(list);
  }

  /** The value must match {@code regex}; null is fine unless required. */
  public void pattern(String field, String value, String regex, boolean required) {
    if (value == null) {
      if (required) {
        add(field + ": required");
      }
    } else if (!value.matches(regex)) {
      add(field + ": '" + value + "' does not match " + regex);
    }
  }

  /** The value must be one of the enum's JSON names (its @JsonProperty value or its name). */
  public void oneOf(String field, String value, Class<? extends Enum<?>> type) {
    if (value == null) {
      return;
    }
    List<String> allowed = new ArrayList<>();
    for (Enum<?> e : type.getEnumConstants()) {
      try {
        var json = type.getField(e.name()).getAnnotation(JsonProperty.class);
        allowed.add(json != null ? json.value() : e.name());
      } catch (NoSuchFieldException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    if (!allowed.contains(value)) {
      add(field + ": '" + value + "' is not one of " + allowed);
    }
  }

  /** The value must lie in [min, max]; null is fine unless required. */
  public void range(String field, Number value, double min, double max, boolean required) {
    if (value == null) {
      if (required) {
        add(field + ": required");
      }
    } else if (value.doubleValue() < min || value.doubleValue() > max) {
      add(field + ": " + value + " is outside [" + fmt(min) + ", " + fmt(max) + "]");
    }
  }

  /** Between minItems and maxItems ids, each matching {@code regex}. */
  public void ids(
      String field,
      Collection<String> ids,
      String regex,
      int minItems,
      int maxItems,
      boolean required) {
    if (ids == null) {
      if (required) {
        add(field + ": required");
      }
      return;
    }
    if (ids.size() < minItems || ids.size() > maxItems) {
      add(field + ": needs " + minItems + " to " + maxItems + " items, has " + ids.size());
    }
    ids.stream()
        .filter(id -> id == null || !id.matches(regex))
        .forEach(id -> add(field + ": '" + id + "' does not match " + regex));
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
