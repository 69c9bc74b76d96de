package io.iptv.drm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bulk AES of ISO Common Encryption (ISO/IEC 23001-7 §9, §10), from an input array into an output array
 * that already holds a copy of the input (never in place: the JDK copies overlapping input first), through
 * {@code javax.crypto} (AES-NI): {@code cenc} AES-CTR with the counter running on across the protected ranges of
 * one sample, and {@code cbcs} AES-CBC with a crypt/skip pattern whose chain restarts from the constant IV at
 * every subsample. The ciphers are created once per instance and re-initialised per sample or subsample (the
 * JDK keeps the expanded key when the key bytes do not change).
 *
 * <p>Not thread-safe: one instance per thread (see {@link #get()}).
 *
 * <pre>{@code
 * CencCiphers aes = CencCiphers.get();
 * aes.ctr(key, iv16, in, out, 0, in.length, new int[] {5, 32});
 * }</pre>
 */
final class CencCiphers {
  private static final ThreadLocal<CencCiphers> PER_THREAD = ThreadLocal.withInitial(CencCiphers::new);

  private final Cipher ctr;
  private final Cipher cbc;
  private final Cipher ecb;
  /** The encrypted blocks of one cbcs subsample, gathered so that one cipher call does them all. */
  private byte[] gather = new byte[1 << 16];
  private byte[] gathered = new byte[1 << 16];

  private CencCiphers() {
    try {
      ctr = Cipher.getInstance("AES/CTR/NoPadding");
      cbc = Cipher.getInstance("AES/CBC/NoPadding");
      ecb = Cipher.getInstance("AES/ECB/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/CTR or AES/CBC", e);
    }
  }

  /** This thread's ciphers. */
  static CencCiphers get() {
    return PER_THREAD.get();
  }

  /** AES-ECB of one 16-byte block (IV derivation). */
  byte[] ecb(SecretKeySpec key, byte[] block) throws GeneralSecurityException {
    ecb.init(Cipher.ENCRYPT_MODE, key);
    return ecb.doFinal(block);
  }

  /**
   * {@code cenc} (§10.1): AES-CTR from the 16-byte counter block {@code iv16} over the protected bytes of
   * {@code in[inOffset, inOffset + length)} into the same positions of {@code out} from {@code outOffset} (which
   * already holds the clear bytes); the counter continues from one protected range to the next. With no
   * subsamples the whole range is protected. Large ranges go through the cipher in pieces ({@link CipherChunks}):
   * HotSpot's AES-CTR intrinsic is used only once the calling JDK methods are compiled by C2, which takes
   * thousands of calls, not a few big ones.
   */
  void ctr(SecretKeySpec key, byte[] iv16, byte[] in, int inOffset, byte[] out, int outOffset, int length,
      int[] subsamples) throws GeneralSecurityException {
    ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv16));
    if (subsamples.length == 0) {
      ctrRange(in, inOffset, out, outOffset, length);
    } else {
      int pos = 0;
      for (int i = 0; i < subsamples.length; i += 2) {
        pos += subsamples[i];
        int n = subsamples[i + 1];
        if (n > 0) {
          ctrRange(in, inOffset + pos, out, outOffset + pos, n);
          pos += n;
        }
      }
    }
    ctr.doFinal();
  }

  private void ctrRange(byte[] in, int from, byte[] out, int to, int length) throws GeneralSecurityException {
    int chunk = CipherChunks.forBytes(length);
    for (int done = 0; done < length; done += chunk) {
      int n = Math.min(chunk, length - done);
      ctr.update(in, from + done, n, out, to + done);
    }
  }

  /**
   * {@code cbcs} (§10.4): in each protected range, AES-CBC from {@code iv16} over {@code crypt} blocks, then
   * {@code skip} blocks clear, repeated; the trailing partial block stays clear. {@code skip == 0} encrypts every
   * whole block. With no subsamples the whole range is one protected range. Works on {@code b} (a copy of the
   * input) through separate gather buffers.
   */
  void cbcPattern(SecretKeySpec key, byte[] iv16, byte[] b, int offset, int length, int[] subsamples, int crypt,
      int skip) throws GeneralSecurityException {
    if (subsamples.length == 0) {
      cbcRange(key, iv16, b, offset, length, crypt, skip);
      return;
    }
    int pos = offset;
    for (int i = 0; i < subsamples.length; i += 2) {
      pos += subsamples[i];
      int n = subsamples[i + 1];
      if (n > 0) {
        cbcRange(key, iv16, b, pos, n, crypt, skip);
        pos += n;
      }
    }
  }

  private void cbcRange(SecretKeySpec key, byte[] iv16, byte[] b, int from, int length, int crypt, int skip)
      throws GeneralSecurityException {
    int blocks = length / 16;
    if (blocks == 0) {
      return;
    }
    cbc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv16)); // the constant IV, reset per subsample
    if (gather.length < blocks * 16) {
      gather = new byte[Math.max(blocks * 16, gather.length * 2)];
      gathered = new byte[gather.length];
    }
    if (skip == 0) {
      System.arraycopy(b, from, gather, 0, blocks * 16);
      cbc.doFinal(gather, 0, blocks * 16, b, from);
      return;
    }
    int cryptBlocks = Math.max(1, crypt);
    int period = cryptBlocks + skip;
    // gather the encrypted blocks: the CBC chain runs through them only, skipping the clear blocks
    int gatheredBytes = 0;
    for (int block = 0; block < blocks; block += period) {
      int n = Math.min(cryptBlocks, blocks - block) * 16;
      System.arraycopy(b, from + block * 16, gather, gatheredBytes, n);
      gatheredBytes += n;
    }
    cbc.doFinal(gather, 0, gatheredBytes, gathered, 0);
    int at = 0;
    for (int block = 0; block < blocks; block += period) {
      int n = Math.min(cryptBlocks, blocks - block) * 16;
      System.arraycopy(gathered, at, b, from + block * 16, n);
      at += n;
    }
  }
}
