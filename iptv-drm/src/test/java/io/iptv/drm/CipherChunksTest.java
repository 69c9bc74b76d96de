package io.iptv.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link CipherChunks}: small pieces while the JVM warms up (counted JVM-wide, so other tests may have ended the
 * warm-up already), {@value CipherChunks#CHUNK_BYTES}-byte pieces after {@value CipherChunks#WARM_UP_BYTES} bytes.
 */
class CipherChunksTest {
  @Test
  void smallPiecesUntilTheWarmUpBytesThenFullOnes() {
    long counted = 0;
    int piece;
    while ((piece = CipherChunks.forBytes(1 << 20)) == CipherChunks.WARM_UP_CHUNK_BYTES) {
      counted += 1 << 20;
      assertTrue(counted <= CipherChunks.WARM_UP_BYTES, "warm-up past " + counted + " bytes");
    }
    assertEquals(CipherChunks.CHUNK_BYTES, piece);
    assertEquals(CipherChunks.CHUNK_BYTES, CipherChunks.forBytes(100), "the warm-up does not come back");
    assertTrue(CipherChunks.WARM_UP_CHUNK_BYTES % 16 == 0 && CipherChunks.CHUNK_BYTES % 16 == 0,
        "whole AES blocks per call: the cipher holds no bytes back between calls");
  }
}
