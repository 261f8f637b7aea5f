package io.scalableapp.operator.cloud;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Lists of ids and ARNs that AWS treats as sets, normalised once when a record is made. */
public final class Ids {
  private Ids() {}

  /** Sorted, without duplicates or nulls; null counts as empty. */
  public static List<String> sorted(Collection<String> ids) {
    return ids == null
        ? List.of()
        : ids.stream().filter(Objects::nonNull).distinct().sorted().toList();
  }
}
