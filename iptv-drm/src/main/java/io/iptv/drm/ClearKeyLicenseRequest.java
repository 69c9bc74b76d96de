package io.iptv.drm;

import io.iptv.core.MediaException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A W3C ClearKey licence request (Encrypted Media Extensions §9.1.3 "License Request Format"):
 * {@code {"kids":["<base64url KID>", ...],"type":"temporary"}}, parsed strictly and with bounds (UTF-8 JSON
 * object, members in any order, unknown members ignored, at most {@link #MAX_KIDS} KIDs, nesting at most 8).
 *
 * <p>Immutable.
 *
 * <pre>{@code
 * ClearKeyLicenseRequest request = ClearKeyLicenseRequest.parse(body);
 * request.kids(); // [00112233…]
 * }</pre>
 *
 * @param kids the KIDs asked for, in request order, without duplicates
 * @param type the session type, {@code temporary} when absent
 */
public record ClearKeyLicenseRequest(List<KeyId> kids, String type) {
  /** Most KIDs accepted in one request. */
  public static final int MAX_KIDS = 64;
  private static final int MAX_DEPTH = 8;

  /** Validates and copies. */
  public ClearKeyLicenseRequest {
    kids = List.copyOf(kids);
    Objects.requireNonNull(type, "type");
  }

  /**
   * Parses a request body.
   *
   * @throws MediaException {@code MALFORMED} with a short reason (safe to send to the client) for anything that
   *     is not a well-formed request, {@code LIMIT_EXCEEDED} above {@link #MAX_KIDS}
   */
  public static ClearKeyLicenseRequest parse(byte[] body) throws MediaException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw MediaException.malformed("body is not UTF-8");
    }
    Parser p = new Parser(text);
    p.skipSpace();
    p.expect('{');
    List<KeyId> kids = null;
    String type = null;
    p.skipSpace();
    if (!p.consume('}')) {
      do {
        p.skipSpace();
        String name = p.string();
        p.skipSpace();
        p.expect(':');
        p.skipSpace();
        if (name.equals("kids")) {
          if (kids != null) {
            throw MediaException.malformed("kids given twice");
          }
          kids = p.kids();
        } else if (name.equals("type")) {
          if (type != null) {
            throw MediaException.malformed("type given twice");
          }
          type = p.string();
        } else {
          p.skipValue(1);
        }
        p.skipSpace();
      } while (p.consume(','));
      p.expect('}');
    }
    p.skipSpace();
    if (!p.atEnd()) {
      throw MediaException.malformed("trailing data after the JSON object");
    }
    if (kids == null || kids.isEmpty()) {
      throw MediaException.malformed("no kids");
    }
    return new ClearKeyLicenseRequest(kids, type == null ? "temporary" : type);
  }

  /** A minimal strict JSON reader over a string; every failure is a MALFORMED MediaException. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    void skipSpace() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
        i++;
      }
    }

    boolean consume(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) throws MediaException {
      if (!consume(c)) {
        throw MediaException.malformed("expected '" + c + "' at offset " + i);
      }
    }

    List<KeyId> kids() throws MediaException {
      expect('[');
      List<KeyId> kids = new ArrayList<>();
      skipSpace();
      if (consume(']')) {
        return kids;
      }
      do {
        skipSpace();
        KeyId kid = kid(string());
        if (!kids.contains(kid)) {
          if (kids.size() == MAX_KIDS) {
            throw MediaException.limitExceeded("more than " + MAX_KIDS + " kids");
          }
          kids.add(kid);
        }
        skipSpace();
      } while (consume(','));
      expect(']');
      return kids;
    }

    private static KeyId kid(String base64url) throws MediaException {
      String unpadded = base64url.endsWith("==") ? base64url.substring(0, base64url.length() - 2) : base64url;
      if (!unpadded.matches("[A-Za-z0-9_-]{22}")) {
        throw MediaException.malformed("a kid is 16 bytes in base64url");
      }
      return KeyId.of(Base64.getUrlDecoder().decode(unpadded));
    }

    String string() throws MediaException {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw MediaException.malformed("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw MediaException.malformed("control character in a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (atEnd()) {
          throw MediaException.malformed("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9A-Fa-f]{4}")) {
              throw MediaException.malformed("bad \\u escape");
            }
            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw MediaException.malformed("bad escape");
        }
      }
    }

    void skipValue(int depth) throws MediaException {
      if (depth > MAX_DEPTH) {
        throw MediaException.malformed("JSON nested too deeply");
      }
      if (atEnd()) {
        throw MediaException.malformed("missing value");
      }
      char c = s.charAt(i);
      if (c == '"') {
        string();
      } else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        i++;
        skipSpace();
        if (consume(close)) {
          return;
        }
        do {
          skipSpace();
          if (c == '{') {
            string();
            skipSpace();
            expect(':');
            skipSpace();
          }
          skipValue(depth + 1);
          skipSpace();
        } while (consume(','));
        expect(close);
      } else {
        int start = i;
        while (i < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        String literal = s.substring(start, i);
        if (!literal.matches("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
          throw MediaException.malformed("bad JSON value at offset " + start);
        }
      }
    }
  }
}
