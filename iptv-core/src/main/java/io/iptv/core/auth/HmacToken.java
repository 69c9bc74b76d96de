package io.iptv.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed-URL token format shared by {@link TokenSigner} and {@link HmacTokenAuthorizer}. Internal.
 *
 * <p>Format (version 1), six fields separated by {@code .}, every character URL-safe (RFC 3986 unreserved),
 * so the token goes into a query string without escaping:
 * <pre>
 *   v1.{kid}.{exp}.{prefix}.{ip}.{mac}
 *   kid     key id, [A-Za-z0-9_-]{1,32}, selects the secret (rotation)
 *   exp     expiry, decimal seconds since 1970-01-01T00:00:00Z
 *   prefix  base64url (RFC 4648 §5, no padding) of the path prefix the token grants, e.g. "/news/"
 *   ip      base64url of the bound client address (InetAddress.getHostAddress()), empty if unbound
 *   mac     base64url of HMAC-SHA256(secret[kid], "iptv-token-v1\n" kid "\n" exp "\n" prefix "\n" ip)
 * </pre>
 * The MAC covers every field including the key id, so no field can be changed or moved to another key.
 */
final class HmacToken {
  static final String VERSION = "v1";
  static final int MIN_SECRET_BYTES = 16;
  private static final int MAC_BYTES = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** The parsed, not yet verified fields of a token. */
  record Fields(String kid, long expiryEpochSeconds, String prefix, String ip, byte[] mac) {}

  private HmacToken() {}

  static boolean isKid(String kid) {
    return kid != null && kid.matches("[A-Za-z0-9_-]{1,32}");
  }

  /** A path prefix grants {@code /channel/...}: it starts with '/' and has only path characters. */
  static boolean isPrefix(String prefix) {
    return prefix != null && prefix.length() <= 1024 && prefix.matches("/[A-Za-z0-9._/-]*");
  }

  static String encode(String kid, long expiryEpochSeconds, String prefix, String ip, byte[] secret) {
    byte[] mac = mac(secret, kid, expiryEpochSeconds, prefix, ip);
    return VERSION + "." + kid + "." + expiryEpochSeconds + "." + b64(prefix) + "." + (ip.isEmpty() ? "" : b64(ip))
        + "." + ENCODER.encodeToString(mac);
  }

  /** Parses a token, or returns {@code null} if it is not a well-formed version 1 token. */
  static Fields parse(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 6 || !parts[0].equals(VERSION) || !isKid(parts[1])) {
      return null;
    }
    if (parts[2].isEmpty() || parts[2].length() > 12 || !parts[2].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      String prefix = new String(canonical(parts[3]), StandardCharsets.UTF_8);
      String ip = new String(canonical(parts[4]), StandardCharsets.UTF_8);
      byte[] mac = canonical(parts[5]);
      if (!isPrefix(prefix) || mac.length != MAC_BYTES) {
        return null;
      }
      return new Fields(parts[1], Long.parseLong(parts[2]), prefix, ip, mac);
    } catch (IllegalArgumentException e) {
      return null; // not base64url
    }
  }

  /**
   * Decodes base64url and insists on the canonical form: the JDK decoder ignores the unused low bits of the
   * last character, so without this check several spellings of one token would all verify (malleability).
   */
  private static byte[] canonical(String part) {
    byte[] bytes = DECODER.decode(part);
    if (!ENCODER.encodeToString(bytes).equals(part)) {
      throw new IllegalArgumentException("non-canonical base64url");
    }
    return bytes;
  }

  static byte[] mac(byte[] secret, String kid, long expiryEpochSeconds, String prefix, String ip) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      String message = "iptv-token-v1\n" + kid + "\n" + expiryEpochSeconds + "\n" + prefix + "\n" + ip;
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
    }
  }

  private static String b64(String text) {
    return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
