package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.pipeline.EncryptedSample;

/**
 * Writes the ISO Common Encryption boxes (ISO/IEC 23001-7) of fMP4 output: {@code sinf} in a protected sample
 * entry, {@code pssh}, and per fragment the sample auxiliary information ({@code senc}, {@code saiz},
 * {@code saio}) and the {@code seig} sample group ({@code sbgp} + {@code sgpd}) of a fragment whose key differs
 * from the track default.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * CencBoxes.writeSinf(w, "avc1", protection);   // inside the open encv box
 * }</pre>
 */
final class CencBoxes {
  /** SampleEncryptionBox flag: subsample information present (§7.2.1, UseSubSampleEncryption). */
  static final int SENC_USE_SUBSAMPLES = 0x2;
  /** sbgp group_description_index of the first group entry of the fragment's own sgpd (§8.9.4). */
  static final long FRAGMENT_LOCAL_GROUP = 0x10001;

  private CencBoxes() {}

  /**
   * {@code sinf} (ISO/IEC 14496-12 §8.12): {@code frma} (the original sample entry type), {@code schm}
   * (scheme_type cenc/cbcs, scheme_version 1.0) and {@code schi} with {@code tenc} (§8.2: version 0 for
   * {@code cenc}, version 1 with the pattern for {@code cbcs}).
   */
  static void writeSinf(BoxWriter w, String originalFormat, TrackEncryption e) {
    w.start("sinf");
    w.start("frma").fourcc(originalFormat).end(); // data_format (32)
    w.startFull("schm", 0, 0).fourcc(e.scheme().fourcc()).u32(0x0001_0000).end(); // scheme_type, scheme_version
    w.start("schi");
    boolean pattern = e.scheme() == io.iptv.core.pipeline.SampleEncryptionScheme.CBCS;
    w.startFull("tenc", pattern ? 1 : 0, 0);
    w.u8(0); // reserved (8)
    w.u8(pattern ? (e.cryptByteBlock() << 4) | e.skipByteBlock() : 0); // default_crypt_byte_block (4), skip (4)
    writeProtectionFields(w, true, e);
    w.end(); // tenc
    w.end(); // schi
    w.end(); // sinf
  }

  /**
   * default_isProtected (8), default_Per_Sample_IV_Size (8), default_KID (128) and, without per-sample IVs,
   * default_constant_IV_size (8) + default_constant_IV: the common tail of {@code tenc} and {@code seig}.
   */
  private static void writeProtectionFields(BoxWriter w, boolean isProtected, TrackEncryption e) {
    if (!isProtected) {
      w.u8(0).u8(0).zeros(16); // isProtected = 0, Per_Sample_IV_Size = 0, KID = 0
      return;
    }
    w.u8(1).u8(e.perSampleIvSize());
    w.bytes(e.keyId(), 0, 16);
    if (e.perSampleIvSize() == 0) {
      w.u8(e.constantIv().length).bytes(e.constantIv(), 0, e.constantIv().length);
    }
  }

  /** Writes the {@code pssh} boxes as they are. */
  static void writePssh(BoxWriter w, Iterable<ByteSlice> boxes) {
    for (ByteSlice box : boxes) {
      w.bytes(box);
    }
  }

  /**
   * {@code sbgp} + {@code sgpd} of grouping type {@code seig} (§6, CencSampleEncryptionInformationGroupEntry;
   * ISO/IEC 14496-12 §8.9.2, §8.9.3): all {@code sampleCount} samples of the fragment map to one fragment-local
   * entry, which declares {@code e} (a rotated key), or, with {@code e == null}, unprotected samples (clear
   * lead in a track whose sample entry is {@code encv}/{@code enca}).
   */
  static void writeSeigGroup(BoxWriter w, int sampleCount, TrackEncryption e, TrackEncryption defaults) {
    w.startFull("sbgp", 0, 0).fourcc("seig"); // grouping_type
    w.u32(1); // entry_count
    w.u32(sampleCount).u32(FRAGMENT_LOCAL_GROUP); // sample_count, group_description_index
    w.end();
    TrackEncryption pattern = e != null ? e : defaults;
    int entrySize = 20 + (e != null && e.perSampleIvSize() == 0 ? 1 + e.constantIv().length : 0);
    w.startFull("sgpd", 1, 0).fourcc("seig"); // grouping_type
    w.u32(entrySize); // default_length
    w.u32(1); // entry_count
    w.u8(0); // reserved
    w.u8((pattern.cryptByteBlock() << 4) | pattern.skipByteBlock()); // crypt_byte_block (4), skip_byte_block (4)
    writeProtectionFields(w, e != null, e);
    w.end();
  }

  /**
   * The fragment's sample auxiliary information: {@code saiz} (§8.7.8), {@code saio} (§8.7.9) and
   * {@code senc} (ISO/IEC 23001-7 §7.2: per sample the IV and, for subsample encryption, the
   * (BytesOfClearData, BytesOfProtectedData) pairs). {@code saio}'s offset points at the first IV in
   * {@code senc}, relative to the start of the {@code moof} at {@code moofStart} (tfhd default-base-is-moof).
   */
  static void writeAuxInfo(BoxWriter w, int moofStart, EncryptedSample[] samples, int n, int ivSize)
      throws MediaException {
    boolean subsampled = false;
    for (int i = 0; i < n; i++) {
      subsampled |= samples[i].subsampleCount() > 0;
    }
    int first = -1;
    boolean uniform = true;
    for (int i = 0; i < n; i++) {
      int size = auxSize(samples[i], ivSize, subsampled);
      if (size > 0xFF) {
        throw MediaException.unsupported("sample " + i + " has " + samples[i].subsampleCount()
            + " subsamples: its auxiliary information exceeds saiz's 255 bytes");
      }
      if (first < 0) {
        first = size;
      } else if (size != first) {
        uniform = false;
      }
    }
    w.startFull("saiz", 0, 0);
    w.u8(uniform ? first : 0); // default_sample_info_size (8)
    w.u32(n); // sample_count (32)
    if (!uniform) {
      for (int i = 0; i < n; i++) {
        w.u8(auxSize(samples[i], ivSize, subsampled)); // sample_info_size (8)
      }
    }
    w.end();
    w.startFull("saio", 0, 0);
    w.u32(1); // entry_count
    int offsetAt = w.position();
    w.u32(0); // offset (32), patched below
    w.end();
    w.startFull("senc", 0, subsampled ? SENC_USE_SUBSAMPLES : 0);
    w.u32(n); // sample_count
    w.patchU32(offsetAt, w.position() - moofStart);
    for (int i = 0; i < n; i++) {
      EncryptedSample s = samples[i];
      if (ivSize > 0) {
        w.bytes(s.iv(), 0, ivSize); // InitializationVector
      }
      if (subsampled) {
        w.u16(s.subsampleCount()); // subsample_count (16)
        for (int k = 0; k < s.subsampleCount(); k++) {
          w.u16(s.clearBytes(k)).u32(s.protectedBytes(k)); // BytesOfClearData (16), BytesOfProtectedData (32)
        }
      }
    }
    w.end();
  }

  /**
   * Whether the samples have auxiliary information at all: not with a constant IV and full-sample encryption
   * ({@code cbcs} audio), where the {@code tenc} defaults say everything and {@code senc}/{@code saiz}/{@code saio}
   * are left out.
   */
  static boolean hasAuxInfo(EncryptedSample[] samples, int n, int ivSize) {
    if (ivSize > 0) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      if (samples[i].subsampleCount() > 0) {
        return true;
      }
    }
    return false;
  }

  private static int auxSize(EncryptedSample s, int ivSize, boolean subsampled) {
    return ivSize + (subsampled ? 2 + 6 * s.subsampleCount() : 0);
  }
}
