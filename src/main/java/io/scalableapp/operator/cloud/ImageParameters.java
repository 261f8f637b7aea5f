package io.scalableapp.operator.cloud;

import java.util.Collection;
import java.util.Map;

/**
 * SSM parameters that name an image, such as AWS's public {@code
 * /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}: read in batches.
 */
public interface ImageParameters {
  /** AWS's GetParameters takes at most this many names a call. */
  int PER_CALL = 10;

  /**
   * The values AWS holds now, by the name as given (a name, {@code name:version} or {@code
   * name:label}); a parameter AWS does not have (or not that version or label) is missing from the
   * answer. At most {@link #PER_CALL} names per AWS call.
   *
   * @throws CloudException if AWS refuses the call (e.g. the role may not read one of them)
   */
  Map<String, String> values(Collection<String> names);
}
