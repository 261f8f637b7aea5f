package io.scalableapp.operator.cloud.aws;

import io.scalableapp.operator.cloud.ImageParameters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * {@link ImageParameters} on SSM: GetParameters, {@link #PER_CALL} names a call. AWS lists the
 * names it does not have under InvalidParameters instead of failing the call.
 */
public class AwsImageParameters implements ImageParameters {
  private final SsmClient ssm;

  public AwsImageParameters(SsmClient ssm) {
    this.ssm = ssm;
  }

  @Override
  public Map<String, String> values(Collection<String> names) {
    var values = new HashMap<String, String>();
    List<String> all = new ArrayList<>(names);
    for (int from = 0; from < all.size(); from += PER_CALL) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + PER_CALL));
      var answer = AwsErrors.call("GetParameters", () -> ssm.getParameters(r -> r.names(chunk)));
      for (String asked : chunk) {
        // The latest: an answer to name:version may carry the same name and no selector.
        answer.parameters().stream()
            .filter(p -> answers(asked, p))
            .max(Comparator.comparing(p -> p.version() == null ? 0L : p.version()))
            .ifPresent(p -> values.put(asked, p.value()));
      }
    }
    return values;
  }

  /**
   * Whether AWS's parameter is the answer to a name as asked: AWS answers with the parameter's own
   * name, and for {@code name:version} or {@code name:label} with its version and the selector.
   */
  static boolean answers(String asked, Parameter p) {
    int colon = asked.lastIndexOf(':');
    if (colon <= 0) {
      return asked.equals(p.name()) && p.selector() == null;
    }
    String selector = asked.substring(colon);
    if (!asked.substring(0, colon).equals(p.name())) {
      return false;
    }
    if (p.selector() != null) {
      return selector.equals(p.selector());
    }
    // An answer without its selector (an emulator): a version still tells.
    return selector.substring(1).equals(String.valueOf(p.version()));
  }
}
