package io.scalableapp.sandbox.sim;

import io.scalableapp.operator.cloud.ImageParameters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SSM parameters, read only through the port: AWS's public Amazon Linux 2023 image parameters
 * (values made up, in the AMI id format) and whatever {@link #put} publishes. Each put is a new
 * version; {@code name:N} reads version N, as GetParameters does. Names it does not have are left
 * out of the answer, as AWS lists them under InvalidParameters.
 */
final class SimImageParameters implements ImageParameters {
  /** AWS's public parameter for the latest Amazon Linux 2023 image. */
  static final String AL2023_X86 =
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

  static final String AL2023_ARM =
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

  private final Map<String, List<String>> versions = new ConcurrentHashMap<>();

  SimImageParameters() {
    put(AL2023_X86, "ami-0a2023a2023a2023a");
    put(AL2023_ARM, "ami-0a2023b2023b2023b");
  }

  /** A new version of the parameter with this value (AWS publishing a new image, or a user). */
  void put(String name, String value) {
    versions.compute(
        name,
        (k, list) -> {
          var next = list == null ? new ArrayList<String>() : new ArrayList<>(list);
          next.add(value);
          return List.copyOf(next);
        });
  }

  @Override
  public Map<String, String> values(Collection<String> names) {
    var values = new HashMap<String, String>();
    for (String asked : names) {
      int colon = asked.lastIndexOf(':');
      String name = colon > 0 ? asked.substring(0, colon) : asked;
      List<String> all = versions.get(name);
      if (all == null) {
        continue;
      }
      if (colon < 0) {
        values.put(asked, all.get(all.size() - 1));
      } else if (asked.substring(colon + 1).matches("[0-9]{1,9}")) {
        int v = Integer.parseInt(asked.substring(colon + 1));
        if (v >= 1 && v <= all.size()) {
          values.put(asked, all.get(v - 1));
        }
      }
    }
    return values;
  }
}
