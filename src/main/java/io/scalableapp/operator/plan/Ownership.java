package io.scalableapp.operator.plan;

import io.scalableapp.operator.cloud.Tags;
import java.util.Map;

/** Whether a resource found under an app's name is the app's: its owner tag names the app. */
final class Ownership {
  private Ownership() {}

  static boolean owned(String ownerKey, Map<String, String> tags) {
    return Tags.owner(tags).map(ownerKey::equals).orElse(false);
  }

  /** Why a resource is left untouched, for status and events. */
  static String conflict(String kind, String name, Map<String, String> tags) {
    return kind
        + " "
        + name
        + " exists but is "
        + Tags.owner(tags).map(owner -> "owned by " + owner).orElse("not tagged " + Tags.OWNER)
        + "; it is left untouched";
  }
}
