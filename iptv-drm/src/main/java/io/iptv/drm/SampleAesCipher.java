package io.iptv.drm;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.StartCodes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte-level part of Apple SAMPLE-AES ("MPEG-2 Stream Encryption Format for HTTP Live Streaming", §2):
 * which bytes of an H.264 access unit, an ADTS frame or an AC-3/E-AC-3 sync frame are encrypted, done with
 * AES-128-CBC without padding, the IV reset to its original value at the start of every protected block (§2.1).
 *
 * <ul>
 *   <li>H.264 (§2.2): NAL units of type 1 and 5 only. The NAL unit is unescaped (emulation-prevention bytes
 *       removed, ITU-T H.264 §7.4.1); its first 32 bytes (nal_unit_type byte + 31-byte leader) stay clear, then
 *       while more than 16 bytes remain one 16-byte block is encrypted and up to 144 bytes (9 blocks) stay
 *       clear. A NAL unit of 48 bytes or fewer is therefore left clear. CBC chains over the encrypted blocks of
 *       one NAL unit only. Emulation prevention is then applied again, so the length may change.</li>
 *   <li>AAC (§2.3.2): per ADTS frame, the header (7 or 9 bytes) and the next 16 bytes stay clear, then every
 *       whole 16-byte block is encrypted; a trailing partial block stays clear.</li>
 *   <li>AC-3 / E-AC-3 (§2.3.3): per sync frame, the first 16 bytes (from the sync word) stay clear, then every
 *       whole 16-byte block is encrypted; the remainder stays clear.</li>
 * </ul>
 *
 * <p>One {@code AES/CBC/NoPadding} cipher is reused for every protected block; the encrypted blocks of a NAL
 * unit are gathered into a scratch array, encrypted in one call and scattered back. Scratch arrays grow to the
 * largest sample seen; the only allocation per sample is its output array. Bytes that do not parse (no start
 * code, a broken ADTS or AC-3 header) are copied unencrypted: a decryptor cannot find them either.
 *
 * <p>Not thread-safe: one per {@link SampleAesSegmentEncryptor}.
 */
final class SampleAesCipher {
  private static final int BLOCK = 16;
  /** nal_unit_type byte + unencrypted_leader (31 bytes), §2.2 Listing 2-1. */
  private static final int NAL_CLEAR_LEADER = 32;
  /** An encrypted block is followed by up to 9 clear blocks (10 % skip encryption). */
  private static final int NAL_PATTERN_STRIDE = 160;
  /** Audio: 16 clear bytes after the frame header, §2.3. */
  private static final int AUDIO_CLEAR_LEADER = 16;
  /** AC-3 frame sizes in 16-bit words at 48 kHz per frmsizecod / 2 are bit rate (kbit/s) × 2 (ETSI TS 102 366 Table 4.13). */
  private static final int[] AC3_BITRATES_KBPS = {
      32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640};

  private final Cipher cipher;
  private final SecretKeySpec key;
  private final IvParameterSpec iv;
  private byte[] input = new byte[4096];
  private byte[] rbsp = new byte[4096];
  private byte[] output = new byte[8192];
  private byte[] blocks = new byte[1024];

  SampleAesCipher(ContentKey contentKey, byte[] iv) {
    this.key = contentKey.secretKey();
    this.iv = new IvParameterSpec(iv.clone());
    try {
      this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/CBC/NoPadding", e);
    }
  }

  /** Encrypts one H.264 access unit in Annex B byte-stream form; returns the new bytes (length may differ). */
  ByteSlice encryptH264(ByteSlice sample) throws MediaException {
    int length = sample.length();
    input = ensure(input, length);
    sample.copyTo(input, 0);
    output = ensure(output, length + length / 2 + 16);
    int written = 0;
    int start = findStartCode(input, 0, length);
    if (start == length) {
      return ByteSlice.copyOf(input, 0, length); // no start code: nothing a decryptor could find
    }
    System.arraycopy(input, 0, output, 0, start + 3);
    written = start + 3;
    int nalStart = start + 3;
    while (nalStart < length) {
      int next = findStartCode(input, nalStart, length);
      int nalEnd = next;
      while (nalEnd > nalStart && input[nalEnd - 1] == 0) {
        nalEnd--; // trailing_zero_8bits / the zero_byte of a 4-byte start code are not part of the NAL unit
      }
      written = encryptNal(nalStart, nalEnd, written);
      int gapEnd = next == length ? length : next + 3;
      output = ensure(output, written + (gapEnd - nalEnd));
      System.arraycopy(input, nalEnd, output, written, gapEnd - nalEnd);
      written += gapEnd - nalEnd;
      nalStart = gapEnd;
    }
    return ByteSlice.copyOf(output, 0, written);
  }

  /** Encrypts the ADTS frames of one AAC sample; the length does not change. */
  ByteSlice encryptAdts(ByteSlice sample) throws MediaException {
    byte[] out = sample.toByteArray();
    int p = 0;
    while (p + 7 <= out.length) {
      // syncword (12) = 0xFFF
      if ((out[p] & 0xFF) != 0xFF || (out[p + 1] & 0xF0) != 0xF0) {
        break;
      }
      int header = (out[p + 1] & 0x01) != 0 ? 7 : 9; // protection_absent (1): no CRC -> 7-byte header
      // aac_frame_length (13): bytes 3..5
      int frameLength = (out[p + 3] & 0x03) << 11 | (out[p + 4] & 0xFF) << 3 | (out[p + 5] & 0xE0) >> 5;
      if (frameLength < header || p + frameLength > out.length) {
        break;
      }
      encryptWholeBlocks(out, p + header + AUDIO_CLEAR_LEADER, p + frameLength);
      p += frameLength;
    }
    return ByteSlice.wrap(out);
  }

  /** Encrypts the AC-3 or E-AC-3 sync frames of one sample; the length does not change. */
  ByteSlice encryptAc3(ByteSlice sample) throws MediaException {
    byte[] out = sample.toByteArray();
    int p = 0;
    while (p + 6 <= out.length) {
      if ((out[p] & 0xFF) != 0x0B || (out[p + 1] & 0xFF) != 0x77) { // syncword (16) = 0x0B77
        break;
      }
      int frameSize = syncFrameSize(out, p);
      if (frameSize <= 0 || p + frameSize > out.length) {
        break;
      }
      encryptWholeBlocks(out, p + AUDIO_CLEAR_LEADER, p + frameSize);
      p += frameSize;
    }
    return ByteSlice.wrap(out);
  }

  /**
   * The size in bytes of the sync frame at {@code p} (ETSI TS 102 366): AC-3 (bsid ≤ 10) from fscod and
   * frmsizecod (Table 4.13); E-AC-3 (bsid 11..16) from frmsiz (§E.1.3.1.3). 0 if the header is invalid.
   */
  static int syncFrameSize(byte[] a, int p) {
    int bsid = (a[p + 5] & 0xFF) >> 3; // bsid (5), after syncinfo
    if (bsid > 10 && bsid <= 16) {
      int frmsiz = (a[p + 2] & 0x07) << 8 | a[p + 3] & 0xFF; // strmtyp (2), substreamid (3), frmsiz (11)
      return (frmsiz + 1) * 2;
    }
    if (bsid > 10) {
      return 0;
    }
    int fscod = (a[p + 4] & 0xFF) >> 6; // fscod (2)
    int frmsizecod = a[p + 4] & 0x3F; // frmsizecod (6)
    if (frmsizecod >= 2 * AC3_BITRATES_KBPS.length) {
      return 0;
    }
    int kbps = AC3_BITRATES_KBPS[frmsizecod >> 1];
    int words = switch (fscod) {
      case 0 -> kbps * 2; // 48 kHz
      case 1 -> kbps * 96_000 / 44_100 + (frmsizecod & 1); // 44.1 kHz: rounded down, odd codes one word more
      case 2 -> kbps * 3; // 32 kHz
      default -> 0;
    };
    return words * 2;
  }

  /**
   * Unescapes, encrypts and re-escapes one NAL unit {@code input[nalStart, nalEnd)} into {@code output} at
   * {@code written}; returns the new end of {@code output}.
   */
  private int encryptNal(int nalStart, int nalEnd, int written) throws MediaException {
    int length = nalEnd - nalStart;
    int type = length > 0 ? input[nalStart] & 0x1F : 0; // nal_unit_type (5)
    if ((type != 1 && type != 5) || length <= NAL_CLEAR_LEADER + BLOCK) {
      output = ensure(output, written + length);
      System.arraycopy(input, nalStart, output, written, length);
      return written + length;
    }
    int rbspLength = unescape(nalStart, nalEnd);
    int blockCount = 0;
    for (int p = NAL_CLEAR_LEADER; rbspLength - p > BLOCK; p += NAL_PATTERN_STRIDE) {
      blockCount++;
    }
    if (blockCount > 0) {
      blocks = ensure(blocks, blockCount * BLOCK);
      for (int i = 0; i < blockCount; i++) {
        System.arraycopy(rbsp, NAL_CLEAR_LEADER + i * NAL_PATTERN_STRIDE, blocks, i * BLOCK, BLOCK);
      }
      encrypt(blocks, 0, blockCount * BLOCK);
      for (int i = 0; i < blockCount; i++) {
        System.arraycopy(blocks, i * BLOCK, rbsp, NAL_CLEAR_LEADER + i * NAL_PATTERN_STRIDE, BLOCK);
      }
    }
    return escape(rbspLength, written);
  }

  /** Removes emulation_prevention_three_bytes of {@code input[from, to)} into {@code rbsp}; returns its length. */
  private int unescape(int from, int to) {
    rbsp = ensure(rbsp, to - from);
    int n = 0;
    int zeros = 0;
    for (int i = from; i < to; i++) {
      int b = input[i] & 0xFF;
      if (zeros >= 2 && b == 3) {
        zeros = 0; // emulation_prevention_three_byte (8): dropped
        continue;
      }
      rbsp[n++] = (byte) b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return n;
  }

  /** Applies emulation prevention to {@code rbsp[0, length)} into {@code output} at {@code written}. */
  private int escape(int length, int written) {
    output = ensure(output, written + length + length / 2 + 2);
    int n = written;
    int zeros = 0;
    for (int i = 0; i < length; i++) {
      int b = rbsp[i] & 0xFF;
      if (zeros >= 2 && b <= 3) {
        output[n++] = 3;
        zeros = 0;
      }
      output[n++] = (byte) b;
      zeros = b == 0 ? zeros + 1 : 0;
    }
    if (zeros >= 2) {
      output[n++] = 3; // H.264 §7.4.1: an RBSP ending in 0x0000 (cabac_zero_word) gets a final 0x03
    }
    return n;
  }

  /** Encrypts the whole 16-byte blocks of {@code a[from, to)} in place (one protected block). */
  private void encryptWholeBlocks(byte[] a, int from, int to) throws MediaException {
    int count = (to - from) / BLOCK;
    if (count > 0) {
      encrypt(a, from, count * BLOCK);
    }
  }

  /** AES-128-CBC in place with the IV reset: one protected block (§2.1). */
  private void encrypt(byte[] a, int offset, int length) throws MediaException {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, iv);
      int n = cipher.doFinal(a, offset, length, a, offset);
      if (n != length) {
        throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE,
            "SAMPLE-AES: AES-CBC wrote " + n + " bytes, expected " + length);
      }
    } catch (GeneralSecurityException e) {
      throw MediaException.of(MediaException.Kind.KEY_UNAVAILABLE,
          "SAMPLE-AES encryption failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The index of the next {@code 00 00 01} at or after {@code from}, or {@code end}. */
  private static int findStartCode(byte[] a, int from, int end) {
    int at = StartCodes.next(a, from, end);
    return at < 0 ? end : at;
  }

  private static byte[] ensure(byte[] buffer, int size) {
    return buffer.length >= size ? buffer : Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
  }
}
