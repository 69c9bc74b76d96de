package io.iptv.drm;

import java.io.ByteArrayOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent SAMPLE-AES decryptor for tests, written from the spec text rather than from the production
 * code: AES in ECB mode with the CBC chaining done by hand, block by block, its own NAL unit splitter and its
 * own emulation-prevention handling (as ffmpeg's {@code hls_sample_encryption.c} and hls.js do: unescape,
 * decrypt, and here re-escape so the result compares with the clear input byte for byte).
 */
final class SampleAesDecryptor {
  private final Cipher aes;
  private final byte[] iv;

  SampleAesDecryptor(byte[] key, byte[] iv) throws Exception {
    this.aes = Cipher.getInstance("AES/ECB/NoPadding");
    this.aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
    this.iv = iv.clone();
  }

  /** Decrypts an Annex B access unit. */
  byte[] decryptH264(byte[] au) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < au.length) {
      int sc = indexOfStartCode(au, i);
      if (sc < 0) {
        out.write(au, i, au.length - i);
        break;
      }
      out.write(au, i, sc + 3 - i);
      int start = sc + 3;
      int next = indexOfStartCode(au, start);
      int end = next < 0 ? au.length : next;
      while (end > start && au[end - 1] == 0) {
        end--;
      }
      byte[] nal = java.util.Arrays.copyOfRange(au, start, end);
      int type = nal.length > 0 ? nal[0] & 0x1F : 0;
      if ((type == 1 || type == 5) && nal.length > 48) {
        byte[] rbsp = unescape(nal);
        int remaining = rbsp.length - 32;
        int p = 32;
        byte[] chain = iv.clone();
        while (remaining > 0) {
          if (remaining > 16) {
            chain = decryptBlock(rbsp, p, chain);
            p += 16;
            remaining -= 16;
          }
          int skip = Math.min(144, remaining);
          p += skip;
          remaining -= skip;
        }
        nal = escape(rbsp);
      }
      out.write(nal, 0, nal.length);
      i = end;
    }
    return out.toByteArray();
  }

  /** Decrypts a protected audio frame region: {@code clearBytes} clear, then whole blocks, rest clear. */
  void decryptFrame(byte[] data, int frameStart, int clearBytes, int frameEnd) throws Exception {
    byte[] chain = iv.clone();
    for (int p = frameStart + clearBytes; p + 16 <= frameEnd; p += 16) {
      chain = decryptBlock(data, p, chain);
    }
  }

  /** CBC by hand: returns the ciphertext block, the next block's chaining value. */
  private byte[] decryptBlock(byte[] data, int p, byte[] chain) throws Exception {
    byte[] cipherText = java.util.Arrays.copyOfRange(data, p, p + 16);
    byte[] plain = aes.doFinal(cipherText);
    for (int k = 0; k < 16; k++) {
      data[p + k] = (byte) (plain[k] ^ chain[k]);
    }
    return cipherText;
  }

  static int indexOfStartCode(byte[] a, int from) {
    for (int i = from; i + 2 < a.length; i++) {
      if (a[i] == 0 && a[i + 1] == 0 && a[i + 2] == 1) {
        return i;
      }
    }
    return -1;
  }

  static byte[] unescape(byte[] nal) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < nal.length; i++) {
      if (i >= 2 && nal[i] == 3 && nal[i - 1] == 0 && nal[i - 2] == 0 && out.size() >= 2
          && lastTwoZero(out)) {
        continue;
      }
      out.write(nal[i]);
    }
    return out.toByteArray();
  }

  private static boolean lastTwoZero(ByteArrayOutputStream out) {
    byte[] b = out.toByteArray();
    return b[b.length - 1] == 0 && b[b.length - 2] == 0;
  }

  static byte[] escape(byte[] rbsp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros == 2 && (b & 0xFF) <= 3) {
        out.write(3);
        zeros = 0;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    if (zeros == 2) {
      out.write(3);
    }
    return out.toByteArray();
  }
}
