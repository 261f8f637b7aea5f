package io.scalableapp.operator.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Idempotency tokens for AWS creates: the same request after a crash gets the same token. */
final class ClientTokens {
  private ClientTokens() {}

  /** 64 hex characters (EC2's limit) derived from the parts. */
  static String of(String... parts) {
    try {
      var sha = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        sha.update(p.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
