package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import java.util.List;

/**
 * A track's sample table ({@code stbl}, ISO/IEC 14496-12 §8.5–§8.7) kept in its compact on-disk form
 * inside the {@code moov} buffer, walked sample by sample by a {@link Cursor}: memory does not grow with
 * the number of samples beyond the tables themselves. Entry counts are checked against box sizes when the
 * table is parsed; inconsistencies between tables (a chunk index past {@code stco}, fewer {@code stts}
 * samples than {@code stsz}) surface as {@link MediaException}s while walking. Immutable; each cursor is
 * single-threaded.
 */
final class SampleTable {
  /** An empty table (fragmented files: the samples are in {@code moof}s). */
  static final SampleTable EMPTY = new SampleTable(new byte[0], 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0, false, -1, 0);

  private final byte[] data;
  private final int sampleCount;
  private final int sttsPos;
  private final int sttsCount;
  private final int cttsPos;
  private final int cttsCount;
  private final int stscPos;
  private final int stscCount;
  private final int fixedSize;
  private final int sizeFieldBits;
  private final int sizesPos;
  private final int chunkPos;
  private final int chunkCount;
  private final boolean chunk64;
  private final int stssPos;
  private final int stssCount;

  private SampleTable(byte[] data, int sampleCount, int sttsPos, int sttsCount, int cttsPos, int cttsCount,
      int stscPos, int stscCount, int fixedSize, int sizeFieldBits, int sizesPos, int chunkPos, int chunkCount,
      boolean chunk64,
      int stssPos, int stssCount) {
    this.data = data;
    this.sampleCount = sampleCount;
    this.sttsPos = sttsPos;
    this.sttsCount = sttsCount;
    this.cttsPos = cttsPos;
    this.cttsCount = cttsCount;
    this.stscPos = stscPos;
    this.stscCount = stscCount;
    this.fixedSize = fixedSize;
    this.sizeFieldBits = sizeFieldBits;
    this.sizesPos = sizesPos;
    this.chunkPos = chunkPos;
    this.chunkCount = chunkCount;
    this.chunk64 = chunk64;
    this.stssPos = stssPos;
    this.stssCount = stssCount;
  }

  /** Number of samples ({@code stsz}/{@code stz2} sample_count). */
  int sampleCount() {
    return sampleCount;
  }

  /** The smallest composition offset in {@code ctts} (0 without one): how far a PTS can precede its DTS. */
  long minCompositionOffset() {
    long min = 0;
    for (int i = 0; i < cttsCount; i++) {
      min = Math.min(min, readInt(cttsPos + 8 * i + 4));
    }
    return min;
  }

  /** A cursor at the first sample. */
  Cursor cursor() {
    return new Cursor();
  }

  /** Parses the tables of one {@code stbl}. */
  static SampleTable parse(byte[] data, List<BoxHeader> stbl, int trackId) throws MediaException {
    String where = "track " + trackId + " ";
    // stts: version/flags (32), entry_count (32), {sample_count (32), sample_delta (32)}
    ByteCursor stts = Boxes.payload(data, Boxes.require(stbl, "stts", where + "stbl"));
    stts.skip(4);
    int sttsCount = Boxes.checkEntries(stts, stts.readUnsignedInt(), 8, "stts");
    int sttsPos = stts.position();
    // ctts: version/flags, entry_count, {sample_count (32), sample_offset (32, signed in practice)}
    int cttsPos = 0;
    int cttsCount = 0;
    BoxHeader cttsBox = Boxes.find(stbl, "ctts");
    if (cttsBox != null) {
      ByteCursor ctts = Boxes.payload(data, cttsBox);
      ctts.skip(4);
      cttsCount = Boxes.checkEntries(ctts, ctts.readUnsignedInt(), 8, "ctts");
      cttsPos = ctts.position();
    }
    // stsc: version/flags, entry_count, {first_chunk, samples_per_chunk, sample_description_index}
    ByteCursor stsc = Boxes.payload(data, Boxes.require(stbl, "stsc", where + "stbl"));
    stsc.skip(4);
    int stscCount = Boxes.checkEntries(stsc, stsc.readUnsignedInt(), 12, "stsc");
    int stscPos = stsc.position();
    // stsz: version/flags, sample_size (32), sample_count (32), [entry_size (32)]...
    // stz2: version/flags, reserved (24), field_size (8), sample_count (32), entry_size (field_size)...
    int fixedSize = 0;
    int sizeBits = 32;
    int sampleCount;
    int sizesPos;
    BoxHeader stszBox = Boxes.find(stbl, "stsz");
    if (stszBox != null) {
      ByteCursor stsz = Boxes.payload(data, stszBox);
      stsz.skip(4);
      long sampleSize = stsz.readUnsignedInt();
      long count = stsz.readUnsignedInt();
      if (sampleSize > Integer.MAX_VALUE) {
        throw MediaException.malformed(where + "stsz sample_size " + sampleSize + " out of range");
      }
      fixedSize = (int) sampleSize;
      sampleCount = fixedSize != 0 ? checkCount(count, where) : Boxes.checkEntries(stsz, count, 4, "stsz");
      sizesPos = stsz.position();
    } else {
      BoxHeader stz2Box = Boxes.require(stbl, "stz2", where + "stbl (neither stsz nor stz2)");
      ByteCursor stz2 = Boxes.payload(data, stz2Box);
      stz2.skip(7);
      sizeBits = stz2.readUnsignedByte();
      if (sizeBits != 4 && sizeBits != 8 && sizeBits != 16) {
        throw MediaException.malformed(where + "stz2 field_size " + sizeBits + " (must be 4, 8 or 16)");
      }
      long count = stz2.readUnsignedInt();
      if (count < 0 || (count * sizeBits + 7) / 8 > stz2.bytesLeft()) {
        throw MediaException.malformed(where + "stz2 declares " + count + " samples but is too small");
      }
      sampleCount = (int) count;
      sizesPos = stz2.position();
    }
    // stco: version/flags, entry_count, {chunk_offset (32)}; co64: {chunk_offset (64)}
    BoxHeader stco = Boxes.find(stbl, "stco");
    boolean chunk64 = stco == null;
    if (stco == null) {
      stco = Boxes.require(stbl, "co64", where + "stbl (neither stco nor co64)");
    }
    ByteCursor co = Boxes.payload(data, stco);
    co.skip(4);
    int chunkCount = Boxes.checkEntries(co, co.readUnsignedInt(), chunk64 ? 8 : 4, stco.typeName());
    int chunkPos = co.position();
    // stss: version/flags, entry_count, {sample_number (32)}; absent: every sample is a sync sample
    int stssPos = -1;
    int stssCount = 0;
    BoxHeader stssBox = Boxes.find(stbl, "stss");
    if (stssBox != null) {
      ByteCursor stss = Boxes.payload(data, stssBox);
      stss.skip(4);
      stssCount = Boxes.checkEntries(stss, stss.readUnsignedInt(), 4, "stss");
      stssPos = stss.position();
    }
    return new SampleTable(data, sampleCount, sttsPos, sttsCount, cttsPos, cttsCount, stscPos, stscCount,
        fixedSize, sizeBits, sizesPos, chunkPos, chunkCount, chunk64, stssPos, stssCount);
  }

  private static int checkCount(long count, String where) throws MediaException {
    if (count > Integer.MAX_VALUE) {
      throw MediaException.malformed(where + "sample_count " + count + " out of range");
    }
    return (int) count;
  }

  private int readInt(int pos) {
    return ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
        | (data[pos + 3] & 0xFF);
  }

  private long readUnsignedInt(int pos) {
    return readInt(pos) & 0xFFFFFFFFL;
  }

  private long readLong(int pos) {
    return (readUnsignedInt(pos) << 32) | readUnsignedInt(pos + 4);
  }

  /** Walks the samples in decode order. Single-threaded. */
  final class Cursor {
    private int index;
    private long dts;
    private int sttsEntry;
    private long sttsLeft;
    private int cttsEntry;
    private long cttsLeft;
    private int stscEntry;
    private long chunk; // 1-based
    private long samplesLeftInChunk;
    private long offsetInChunk;
    private int stssEntry;

    private Cursor() {
      chunk = 0;
      samplesLeftInChunk = 0;
    }

    /** Whether another sample follows. */
    boolean hasNext() {
      return index < sampleCount;
    }

    /** Index (0-based) of the next sample. */
    int index() {
      return index;
    }

    /** "sample N: " for messages (built only on failure: next() runs once per sample). */
    private String where() {
      return "sample " + (index + 1) + ": ";
    }

    /** The next sample; call only if {@link #hasNext()}. */
    SampleRef next() throws MediaException {
      // stts: decode time
      while (sttsLeft == 0) {
        if (sttsEntry >= sttsCount) {
          throw MediaException.malformed(where() + "stts covers fewer samples than stsz (" + sampleCount + ")");
        }
        sttsLeft = readUnsignedInt(sttsPos + 8 * sttsEntry);
        sttsEntry++;
      }
      long sampleDts = dts;
      long delta = readUnsignedInt(sttsPos + 8 * (sttsEntry - 1) + 4);
      sttsLeft--;
      if (dts > Long.MAX_VALUE / 2 - delta) {
        throw MediaException.malformed(where() + "decode time overflows");
      }
      dts += delta;
      // ctts: composition offset (signed, as FFmpeg reads version 0 too)
      long cto = 0;
      if (cttsCount > 0) {
        while (cttsLeft == 0 && cttsEntry < cttsCount) {
          cttsLeft = readUnsignedInt(cttsPos + 8 * cttsEntry);
          cttsEntry++;
        }
        if (cttsLeft > 0) {
          cto = readInt(cttsPos + 8 * (cttsEntry - 1) + 4);
          cttsLeft--;
        }
      }
      // stsc + stco: chunk and offset
      while (samplesLeftInChunk == 0) {
        chunk++;
        while (stscEntry + 1 < stscCount && readUnsignedInt(stscPos + 12 * (stscEntry + 1)) <= chunk) {
          stscEntry++;
        }
        if (stscCount == 0 || readUnsignedInt(stscPos + 12 * stscEntry) > chunk) {
          throw MediaException.malformed(where() + "stsc does not map chunk " + chunk);
        }
        if (chunk > chunkCount) {
          throw MediaException.malformed(where() + "chunk " + chunk + " beyond the " + chunkCount + " chunk offsets");
        }
        samplesLeftInChunk = readUnsignedInt(stscPos + 12 * stscEntry + 4);
        offsetInChunk = chunk64 ? readLong(chunkPos + 8 * (int) (chunk - 1))
            : readUnsignedInt(chunkPos + 4 * (int) (chunk - 1));
        if (offsetInChunk < 0) {
          throw MediaException.malformed(where() + "negative chunk offset");
        }
      }
      int size = sizeOf(index);
      long offset = offsetInChunk;
      offsetInChunk += size;
      samplesLeftInChunk--;
      // stss: sync samples (1-based numbers, increasing)
      boolean sync;
      if (stssPos < 0) {
        sync = true;
      } else {
        long number = index + 1L;
        while (stssEntry < stssCount && readUnsignedInt(stssPos + 4 * stssEntry) < number) {
          stssEntry++;
        }
        sync = stssEntry < stssCount && readUnsignedInt(stssPos + 4 * stssEntry) == number;
      }
      index++;
      return new SampleRef(offset, size, sampleDts, cto, sync);
    }

    private int sizeOf(int i) throws MediaException {
      if (fixedSize != 0) {
        return fixedSize;
      }
      long size;
      switch (sizeFieldBits) {
        case 32 -> size = readUnsignedInt(sizesPos + 4 * i);
        case 16 -> size = ((data[sizesPos + 2 * i] & 0xFF) << 8) | (data[sizesPos + 2 * i + 1] & 0xFF);
        case 8 -> size = data[sizesPos + i] & 0xFF;
        default -> size = (i & 1) == 0 ? (data[sizesPos + i / 2] >> 4) & 0x0F : data[sizesPos + i / 2] & 0x0F;
      }
      if (size > Integer.MAX_VALUE) {
        throw MediaException.malformed("sample " + (i + 1) + " size " + size + " out of range");
      }
      return (int) size;
    }
  }
}
