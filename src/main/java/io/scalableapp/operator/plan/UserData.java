package io.scalableapp.operator.plan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Renders the user data script: the environment exported at its top, then the user's script. */
public final class UserData {
  static final String DEFAULT_SHEBANG = "#!/bin/bash";

  private UserData() {}

  /** True when the environment can be exported into this user data (a shell script or none). */
  public static boolean acceptsEnvironment(String userData) {
    return userData == null || userData.isBlank() || userData.startsWith("#!");
  }

  /**
   * The script as plain text: the shebang line (the user's, or {@code #!/bin/bash}), one {@code
   * export NAME='value'} per variable in name order, then the rest of the user's script. Null when
   * there is neither user data nor environment.
   */
  public static String render(String userData, Map<String, String> environment) {
    boolean noEnv = environment == null || environment.isEmpty();
    if (noEnv) {
      return userData == null || userData.isEmpty() ? null : userData;
    }
    String script = userData == null ? "" : userData;
    String shebang = DEFAULT_SHEBANG;
    String body = script;
    if (script.startsWith("#!")) {
      int eol = script.indexOf('\n');
      shebang = eol < 0 ? script : script.substring(0, eol);
      body = eol < 0 ? "" : script.substring(eol + 1);
    }
    var out = new StringBuilder(shebang).append('\n');
    new TreeMap<>(environment)
        .forEach(
            (k, v) ->
                out.append("export ").append(k).append('=').append(shellQuote(v)).append('\n'));
    return out.append(body).toString();
  }

  /** Base64 of the rendered script, as EC2 takes it; null when there is nothing to render. */
  public static String renderBase64(String userData, Map<String, String> environment) {
    String rendered = render(userData, environment);
    return rendered == null
        ? null
        : Base64.getEncoder().encodeToString(rendered.getBytes(StandardCharsets.UTF_8));
  }

  static String shellQuote(String v) {
    return "'" + (v == null ? "" : v.replace("'", "'\\''")) + "'";
  }
}
