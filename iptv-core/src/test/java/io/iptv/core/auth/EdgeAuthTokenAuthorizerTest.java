package io.iptv.core.auth;

import static io.iptv.core.auth.HmacTokenAuthorizerTest.assertDeny;
import static io.iptv.core.auth.HmacTokenAuthorizerTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EdgeAuth 2.0 tokens. The MACs below were computed independently with openssl, e.g.
 * {@code printf 'st=1767268800~exp=1767272400~acl=/news/*' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001…1f}.
 */
class EdgeAuthTokenAuthorizerTest {
  static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  static final Instant NOW = Instant.ofEpochSecond(1767270000L); // between st and exp
  static final String ACL_TOKEN = "st=1767268800~exp=1767272400~acl=/news/*"
      + "~hmac=2f26863ae193a83ae31fc86de5dc2818ec4678121c566f20d32efec95e4f3e79";
  static final String IP_TOKEN = "ip=192.0.2.10~exp=1767272400~acl=/news/*!/sport/*"
      + "~hmac=c0f377c5565653910ba2d242dd547d0eda55ccedcee4c2138ceab3f4f0f20e13";
  static final String ID_TOKEN = "exp=1767272400~acl=/news/*~id=session42~data=userdata"
      + "~hmac=67c614669258ce24c532c7fab9f5278745a708337ce1e7145807d109eeb01d5b";

  static EdgeAuthTokenAuthorizer at(Instant now) {
    return EdgeAuthTokenAuthorizer.builder().hexKey(KEY).clock(InstantSource.fixed(now)).build();
  }

  @Test
  void opensslVectorsVerify() {
    AuthDecision.Allow allow = assertInstanceOf(AuthDecision.Allow.class,
        at(NOW).authorize(request("/news/stream/seg-1.ts", ACL_TOKEN)));
    assertEquals(Duration.ofSeconds(1767272400L - 1767270000L), allow.maxAge());
    assertTrue(at(NOW).authorize(request("/news/master.m3u8", "hdnts=" + ACL_TOKEN)).allowed());
    assertTrue(at(NOW).authorize(request("/sport/master.m3u8", IP_TOKEN, "192.0.2.10")).allowed());
    assertTrue(at(NOW).authorize(request("/news/keys/k.key", ID_TOKEN)).allowed());
  }

  @Test
  void rejections() {
    assertDeny(401, at(NOW).authorize(request("/news/master.m3u8", null)));
    assertDeny(401, at(Instant.ofEpochSecond(1767272401L)).authorize(request("/news/master.m3u8", ACL_TOKEN)));
    assertDeny(401, at(Instant.ofEpochSecond(1767268799L)).authorize(request("/news/master.m3u8", ACL_TOKEN)));
    assertDeny(403, at(NOW).authorize(request("/sport/master.m3u8", ACL_TOKEN)));
    assertDeny(403, at(NOW).authorize(request("/news/master.m3u8", IP_TOKEN, "192.0.2.11")));
    for (String tampered : List.of(ACL_TOKEN.replace("acl=/news/*", "acl=/*"),
        ACL_TOKEN.replace("exp=1767272400", "exp=1767279999"), ACL_TOKEN.substring(0, ACL_TOKEN.length() - 1) + "0",
        ACL_TOKEN + "~hmac=00", "exp=1~exp=2~acl=/*~hmac=00", "garbage", "", "~hmac=", "exp=x~acl=/*~hmac=zz")) {
      assertDeny(401, at(NOW).authorize(request("/news/master.m3u8", tampered)), tampered);
    }
    EdgeAuthTokenAuthorizer otherKey = EdgeAuthTokenAuthorizer.builder().hexKey(KEY.replace('0', 'f'))
        .clock(InstantSource.fixed(NOW)).build();
    assertDeny(401, otherKey.authorize(request("/news/master.m3u8", ACL_TOKEN)));
  }

  @Test
  void aclGlobs() {
    assertTrue(EdgeAuthTokenAuthorizer.aclMatches("/news/*", "/news/a/b.ts"));
    assertTrue(EdgeAuthTokenAuthorizer.aclMatches("/x/*!/news/*/index.m3u8", "/news/v1/index.m3u8"));
    assertFalse(EdgeAuthTokenAuthorizer.aclMatches("/news/*.m3u8", "/news/seg.ts"));
    assertFalse(EdgeAuthTokenAuthorizer.aclMatches("/news/", "/news/seg.ts"));
    assertFalse(EdgeAuthTokenAuthorizer.aclMatches("*a*a*a*a*a*a*b", "/" + "a".repeat(1000)));
  }
}
