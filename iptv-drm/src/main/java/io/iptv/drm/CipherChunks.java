package io.iptv.drm;

/**
 * How many bytes each {@code Cipher.update} call of bulk AES gets (AES-128 segments, CENC samples).
 *
 * <p>HotSpot runs the JDK's AES-NI intrinsics (AES-CBC, AES-CTR) only in code C2 has compiled, and compiles it
 * after some thousands of calls, not bytes. Very large calls therefore reach the intrinsic much later; pieces of
 * {@value #CHUNK_BYTES} bytes do well once it runs. Before that, a fresh JVM fed 8 KiB calls encrypted its first
 * 40 MB or so at 190 MB/s (AES-CTR) or 330 MB/s (AES-CBC) instead of 12 and 1.2 GB/s, about a quarter of a second
 * of CPU lost; so the first {@value #WARM_UP_BYTES} bytes of the JVM go in {@value #WARM_UP_CHUNK_BYTES}-byte
 * calls, which reach the intrinsic after about 8 MB (measured with {@code javax.crypto} alone on the
 * benchmark machine; {@code benchmarks/README.md}, round 9).
 *
 * <p>Thread-safe; the JVM-wide count is racy by design (an estimate suffices).
 *
 * <pre>{@code
 * int chunk = CipherChunks.forBytes(length);
 * for (int done = 0; done < length; done += chunk) {
 *   cipher.update(in, from + done, Math.min(chunk, length - done), out, to + done);
 * }
 * }</pre>
 */
final class CipherChunks {
  /** Bytes per call once the JVM is past its warm-up. */
  static final int CHUNK_BYTES = 8 * 1024;
  /** Bytes per call during the warm-up. */
  static final int WARM_UP_CHUNK_BYTES = 1024;
  /** Bytes this JVM encrypts in {@link #WARM_UP_CHUNK_BYTES} calls first. */
  static final long WARM_UP_BYTES = 12L << 20;
  /** Bytes handed out in warm-up chunks so far, counted up to {@link #WARM_UP_BYTES}. */
  private static volatile long warmUpBytes;

  private CipherChunks() {}

  /** The piece size for {@code length} bytes about to be encrypted (largest piece: {@link #CHUNK_BYTES}). */
  static int forBytes(int length) {
    if (warmUpBytes < WARM_UP_BYTES) {
      warmUpBytes += length; // not atomic: two threads may both count, which only ends the warm-up sooner
      return WARM_UP_CHUNK_BYTES;
    }
    return CHUNK_BYTES;
  }
}
