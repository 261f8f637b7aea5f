package io.scalableapp.operator.cloud;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The tags that mark an AWS resource as one this operator manages for one app. */
public final class Tags {
  public static final String OWNER = "scalableapp.io/owner";
  public static final String MANAGED_BY = "scalableapp.io/managed-by";
  public static final String MANAGER = "scalableapp-operator";

  private Tags() {}

  /** Owner and managed-by tags first, then the user's tags (which cannot override them). */
  public static Map<String, String> forApp(String ownerKey, Map<String, String> userTags) {
    var tags = new LinkedHashMap<String, String>();
    if (userTags != null) {
      tags.putAll(userTags);
    }
    tags.put(OWNER, ownerKey);
    tags.put(MANAGED_BY, MANAGER);
    return tags;
  }

  /** The owner a resource's tags name, if any. */
  public static Optional<String> owner(Map<String, String> tags) {
    return Optional.ofNullable(tags.get(OWNER));
  }
}
