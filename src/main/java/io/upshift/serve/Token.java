package io.upshift.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret every steering request must carry: made at start and printed once, read from a file,
 * or given in the environment ({@code UPSHIFT_SERVE_TOKEN}). It is compared in constant time and
 * never written to a page or a log.
 */
final class Token {
  /** The environment variable that holds a static token. */
  static final String ENV = "UPSHIFT_SERVE_TOKEN";

  /** The shortest token accepted from a file or the environment. */
  static final int MIN_LENGTH = 16;

  private final byte[] secret;

  /** Where the token came from, for the start-up message: "made now", a file, the environment. */
  final String source;

  private Token(String secret, String source) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.source = source;
  }

  /** A new random token (256 bits). */
  static Token random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new Token(Base64.getUrlEncoder().withoutPadding().encodeToString(b), "made now");
  }

  /** The token in a file: its first line, trimmed. */
  static Token fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--token-file " + file + ": cannot be read (" + e.getMessage() + ")");
    }
    String line = text.lines().findFirst().orElse("").trim();
    return checked(line, "--token-file " + file, "the file " + file);
  }

  /** The static token of the environment, or null when none is set. */
  static Token fromEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return checked(value.trim(), "$" + ENV, "$" + ENV);
  }

  private static Token checked(String value, String where, String source) {
    if (value.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          where
              + ": the token must have at least "
              + MIN_LENGTH
              + " characters (make one with: head -c 32 /dev/urandom | base64)");
    }
    for (char c : value.toCharArray()) {
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            where + ": the token must be printable ASCII without spaces");
      }
    }
    return new Token(value, source);
  }

  /** Whether {@code given} is the token, compared in constant time. */
  boolean matches(String given) {
    if (given == null || given.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }

  /** The token itself, to print once at start when it was made there. */
  String reveal() {
    return new String(secret, StandardCharsets.UTF_8);
  }
}
