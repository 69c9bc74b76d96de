package io.iptv.core.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds {@code 00 00 01} start-code prefixes in Annex B byte streams (ITU-T H.264 / H.265 Annex B, ISO/IEC
 * 13818-2 §6.2.1): the one scan the H.264/HEVC readers, the fMP4 writer's Annex B → length-prefixed conversion
 * and SAMPLE-AES all run over every byte of the video, so it is written to be fast also when HotSpot compiles it
 * with C1 only (as {@code iptv.jar package} does).
 *
 * <p>Eight bytes at a time: a start code beginning at {@code i..i+7} needs a zero byte among them, and slice data
 * rarely has one (emulation prevention keeps runs of zeros short), so a word without a zero byte — the
 * {@code (w - 0x01..) & ~w & 0x80..} test is exact for "has a zero byte" — is skipped whole and only words with
 * a zero are checked byte by byte. About 4 GB/s under C1 and 6.5 GB/s under C2 on a 1080p H.264 stream, against
 * 0.65 / 4 GB/s for the classic "look at every third byte" loop.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * for (int i = StartCodes.next(es, 0, es.length); i >= 0; i = StartCodes.next(es, i + 3, es.length)) {
 *   int nalHeader = es[i + 3];   // when i + 3 < es.length
 * }
 * }</pre>
 */
public final class StartCodes {
  /** Reads eight bytes of a byte[] as one long (byte order irrelevant: only zero bytes are looked for). */
  private static final VarHandle LONG_VIEW = MethodHandles.byteArrayViewVarHandle(long[].class,
      ByteOrder.nativeOrder());

  private StartCodes() {}

  /**
   * Index of the first {@code 00 00 01} lying wholly in {@code data[from, limit)}, or -1. {@code from} below 0
   * counts as 0.
   *
   * @throws IndexOutOfBoundsException if {@code limit > data.length}
   */
  public static int next(byte[] data, int from, int limit) {
    if (limit > data.length) {
      throw new IndexOutOfBoundsException("limit " + limit + " > length " + data.length);
    }
    int i = Math.max(from, 0);
    int wordEnd = limit - 10; // a match at i + 7 reads up to i + 9
    while (i <= wordEnd) {
      long w = (long) LONG_VIEW.get(data, i);
      if (((w - 0x0101010101010101L) & ~w & 0x8080808080808080L) != 0) {
        for (int j = i; j < i + 8; j++) {
          if (data[j] == 0 && data[j + 1] == 0 && data[j + 2] == 1) {
            return j;
          }
        }
      }
      i += 8;
    }
    for (int j = i; j + 2 < limit; j++) {
      if (data[j] == 0 && data[j + 1] == 0 && data[j + 2] == 1) {
        return j;
      }
    }
    return -1;
  }
}
