package io.scalableapp.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserDataTest {
  @Test
  void environmentIsExportedAfterTheShebangInNameOrder() {
    var env = new LinkedHashMap<String, String>();
    env.put("Z_LAST", "z");
    env.put("AWS_DEFAULT_REGION", "us-west-2");
    String script = UserData.render("#!/bin/bash -ex\nyum -y install python3\n", env);
    assertThat(script)
        .isEqualTo(
            "#!/bin/bash -ex\n"
                + "export AWS_DEFAULT_REGION='us-west-2'\n"
                + "export Z_LAST='z'\n"
                + "yum -y install python3\n");
  }

  @Test
  void valuesAreShellQuoted() {
    String script = UserData.render(null, Map.of("MSG", "it's $HOME; rm -rf /"));
    assertThat(script).isEqualTo("#!/bin/bash\nexport MSG='it'\\''s $HOME; rm -rf /'\n");
  }

  @Test
  void noEnvironmentLeavesUserDataAsIs() {
    assertThat(UserData.render("#cloud-config\n", Map.of())).isEqualTo("#cloud-config\n");
    assertThat(UserData.render(null, null)).isNull();
    assertThat(UserData.renderBase64(null, Map.of())).isNull();
  }

  @Test
  void base64IsOfTheRenderedUtf8Script() {
    String b64 = UserData.renderBase64("#!/bin/sh\necho é\n", Map.of("A", "1"));
    assertThat(new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8))
        .isEqualTo("#!/bin/sh\nexport A='1'\necho é\n");
  }

  @Test
  void onlyShellScriptsAcceptAnEnvironment() {
    assertThat(UserData.acceptsEnvironment("#!/bin/bash\n")).isTrue();
    assertThat(UserData.acceptsEnvironment(null)).isTrue();
    assertThat(UserData.acceptsEnvironment("#cloud-config\npackages: [git]\n")).isFalse();
  }
}
