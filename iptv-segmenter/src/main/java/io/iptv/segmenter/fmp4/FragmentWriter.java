package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.internal.Preconditions;
import io.iptv.core.media.MediaSample;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.time.Timestamps;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one movie fragment of one track: {@code moof} ({@code mfhd}, {@code traf} with {@code tfhd},
 * {@code tfdt} version 1 and {@code trun} version 1) followed by its {@code mdat} (ISO/IEC 14496-12
 * §8.8.4–§8.8.12, §8.1.1).
 *
 * <p>Timing: decode times are the samples' DTS rescaled to the track timescale; each sample's duration is the
 * next sample's decode time minus its own; the last sample's duration is {@code nextDts90k} minus its DTS
 * when known, else the previous sample's duration, else the track's nominal frame duration.
 *
 * <p>Composition (CMAF, ISO/IEC 23000-19 §7.5.17; ISO/IEC 14496-12 §8.8.8 trun version 1): the writer fixes
 * one per-track constant, the <em>composition shift</em> {@code D = max(0, PTS − DTS)} of the first sample it
 * ever writes (the B-frame reorder delay; 0 for audio and streams without B-frames), and writes
 * <pre>
 *   decode time          = DTS + D            (tfdt = decode time of the fragment's first sample)
 *   composition offset   = PTS − DTS − D      (signed, usually negative for B-frames)
 *   presentation time    = decode time + composition offset = PTS   (exact, no edit list)
 * </pre>
 * So the first sample of the track presents at its own decode time — players that start the buffer at
 * {@code tfdt} (hls.js) see no gap before the first picture — while every presentation time stays the input
 * PTS. Negative offsets in trun version 1 are read by Chromium/Firefox MSE, Shaka, hls.js and FFmpeg; an edit
 * list was not used because players differ on {@code elst} in fragmented files (hls.js derives the start from
 * {@code tfdt} alone). A reader that applies
 * FFmpeg's {@code dts_shift} (−min offset) gets the input DTS back whenever the fragment holds a sample with
 * PTS = DTS, as is typical. Sample flags (§8.8.3.1): sync samples {@code sample_depends_on = 2} (independent); others
 * {@code sample_depends_on = 1, sample_is_non_sync_sample = 1}. {@code tfhd} sets default-base-is-moof, so
 * {@code data_offset} counts from the start of the {@code moof} (CMAF, ISO/IEC 23000-19 §7.5.16).
 *
 * <p>Encryption (ISO/IEC 23001-7): with a track default {@link TrackEncryption} (the {@code tenc} of the init
 * segment) and a {@link SegmentSampleEncryptor} per fragment, each sample is converted to MP4 form and encrypted
 * straight into the output, the {@code moof} put in front once its auxiliary information is known, and the
 * {@code traf} gets {@code saiz}, {@code saio} and {@code senc}; a fragment whose key differs from the default
 * (rotation) also gets a {@code seig} sample group and the key's {@code pssh} boxes in its {@code moof} (every
 * fragment does when the init segment carries none, {@link TrackEncryption#psshInInit()}), and a
 * clear fragment of a protected track (clear lead) a {@code seig} group that marks its samples unprotected.
 *
 * <p>Not thread-safe; reuses its scratch arrays between fragments.
 *
 * <pre>{@code
 * FragmentWriter fragments = new FragmentWriter(track);
 * Fragment f = fragments.write(boxWriter, sequenceNumber, samples, Timestamps.NO_TIMESTAMP);
 * }</pre>
 */
public final class FragmentWriter {
  /** sample_depends_on = 2 (§8.8.3.1): an I-picture or audio frame. */
  public static final int FLAGS_SYNC = 0x0200_0000;
  /** sample_depends_on = 1, sample_is_non_sync_sample = 1. */
  public static final int FLAGS_NON_SYNC = 0x0101_0000;

  private static final int TFHD_DEFAULT_SAMPLE_FLAGS = 0x000020;
  private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
  private static final int TRUN_DATA_OFFSET = 0x000001;
  private static final int TRUN_DURATION = 0x000100;
  private static final int TRUN_SIZE = 0x000200;
  private static final int TRUN_FLAGS = 0x000400;
  private static final int TRUN_COMPOSITION_OFFSET = 0x000800;

  private final Fmp4Track track;
  private final SamplePayloads payloads;
  private long[] dts = new long[256];
  private int[] sizes = new int[256];
  /**
   * The decode time of the last sample written (track timescale), to keep decode times strictly increasing: see
   * {@link #NEAR_DUPLICATE_TICKS}.
   */
  private long lastDecodeTime = Long.MIN_VALUE;
  /**
   * Input decode times that are a tick or two apart (a concatenation, FFmpeg's {@code -stream_loop}, steps an
   * AAC track by one 48 kHz tick at each join) can round to the same decode time on the way through the 90 kHz
   * timeline: a zero-duration sample, which FFmpeg reports as non-monotonic DTS. A sample whose decode time is
   * at most this many ticks before or at the previous one's is written one tick after it (about 20 µs at
   * 48 kHz), with the previous sample's duration 1. A larger step back (a reset timeline) is left as it is.
   */
  static final long NEAR_DUPLICATE_TICKS = 2;
  /** The composition shift D (track timescale), fixed by the first sample written; -1 before; 0 if off. */
  private long compositionShift = -1;
  /** The track's default protection (its tenc), or null for a clear track. */
  private final TrackEncryption protection;
  /** The clear sample being encrypted, in MP4 form (one sample: a fragment's worth would be a second copy of it). */
  private final BoxWriter clearSample = new BoxWriter(1 << 16);
  /** An encrypted fragment's {@code moof}, written once its samples are encrypted (see {@link #writeEncrypted}). */
  private final BoxWriter encryptedMoof = new BoxWriter(1 << 12);
  private EncryptedSample[] encrypted = new EncryptedSample[256];
  /** What the samples hold (see {@link #FragmentWriter(Fmp4Track, boolean, TrackEncryption, SampleData)}). */
  private final SampleData sampleData;

  /** A writer for {@code track} with the composition shift (see the class comment). */
  public FragmentWriter(Fmp4Track track) {
    this(track, true);
  }

  /**
   * A writer for {@code track}.
   *
   * @param shiftComposition whether to apply the composition shift D (class comment); false writes decode
   *     time = DTS and offsets PTS − DTS ≥ 0. {@link CmafSegmentWriter} turns it off for sync-sample fragments:
   *     a fragment holding only a sync sample has no negative offset, and FFmpeg's streaming MP4 reader, which
   *     learns its DTS shift from the negative offsets it has seen in the current segment, would then emit the
   *     keyframe and the next picture with the same DTS.
   */
  public FragmentWriter(Fmp4Track track, boolean shiftComposition) {
    this(track, shiftComposition, null);
  }

  /**
   * A writer for a {@code track} protected by default with {@code protection} (the init segment's
   * {@code tenc}; null for a clear track), see the class comment.
   */
  public FragmentWriter(Fmp4Track track, boolean shiftComposition, TrackEncryption protection) {
    this(track, shiftComposition, protection, SampleData.ELEMENTARY_STREAM);
  }

  /**
   * As {@link #FragmentWriter(Fmp4Track, boolean, TrackEncryption)}, for samples that hold {@code sampleData}:
   * with {@link SampleData#MP4_FORM} their bytes are written (or encrypted) as they are; with {@link
   * SampleData#EXTERNAL} each fragment ends with the {@code mdat} header and the samples' bytes are not written:
   * each sample's {@code data()} must then be as long as its MP4 form (its content is not read), and the caller
   * appends those bytes after the fragment, in order (the sample-copy path of the file packager, which copies them
   * from the source file); clear fragments only.
   */
  public FragmentWriter(Fmp4Track track, boolean shiftComposition, TrackEncryption protection,
      SampleData sampleData) {
    this.sampleData = java.util.Objects.requireNonNull(sampleData, "sampleData");
    this.track = track;
    this.protection = protection;
    this.payloads = new SamplePayloads(track.format());
    this.compositionShift = shiftComposition ? -1 : 0;
  }

  /** The composition shift D of this track in its timescale (see the class comment), 0 before any sample. */
  public long compositionShift() {
    return Math.max(0, compositionShift);
  }

  /**
   * What one fragment holds, in the track timescale.
   *
   * @param baseDecodeTime the tfdt (input DTS + composition shift)
   * @param duration sum of the sample durations
   * @param earliestPresentationTime smallest composition time
   * @param sampleCount samples
   * @param offset where the moof starts in the writer
   * @param size bytes of moof + mdat
   * @param firstSampleEnd offset (in the writer) just after the first sample's data
   * @param startsWithSync whether the first sample is a sync sample
   */
  public record Fragment(long baseDecodeTime, long duration, long earliestPresentationTime, int sampleCount,
      int offset, int size, int firstSampleEnd, boolean startsWithSync) {}

  /**
   * Appends {@code moof} + {@code mdat} for {@code samples} (this track's, in decode order, at least one).
   *
   * @param sequenceNumber the mfhd sequence_number (increasing, from 1)
   * @param nextDts90k the DTS of the sample after the last one, or {@link Timestamps#NO_TIMESTAMP}
   */
  public Fragment write(BoxWriter out, long sequenceNumber, List<MediaSample> samples, long nextDts90k)
      throws MediaException {
    return write(out, sequenceNumber, samples, nextDts90k, null);
  }

  /**
   * Appends {@code moof} + {@code mdat} for {@code samples}, encrypted by {@code encryptor} (null: clear; in a
   * protected track the samples are then marked unprotected). See the class comment.
   */
  public Fragment write(BoxWriter out, long sequenceNumber, List<MediaSample> samples, long nextDts90k,
      SegmentSampleEncryptor encryptor) throws MediaException {
    Preconditions.requireArgument(encryptor == null || protection != null,
        "track %d has no protection in its init segment", track.trackId());
    Preconditions.requireArgument(encryptor == null || sampleData != SampleData.EXTERNAL,
        "external sample data cannot be encrypted");
    int n = samples.size();
    Preconditions.requireArgument(n > 0, "a fragment needs at least one sample");
    decodeTimes(samples);
    if (encryptor != null) {
      return writeEncrypted(out, sequenceNumber, samples, nextDts90k, encryptor);
    }
    Moof moof = writeMoof(out, sequenceNumber, samples, nextDts90k, null);
    return sampleData == SampleData.EXTERNAL ? externalMdat(out, samples, moof) : inlineMdat(out, samples, moof);
  }

  /**
   * Fills {@link #dts} with the samples' decode times in the track timescale, shifted by the composition shift
   * (fixed by the first sample written) and kept strictly increasing ({@link #NEAR_DUPLICATE_TICKS}).
   */
  private void decodeTimes(List<MediaSample> samples) {
    int n = samples.size();
    if (dts.length < n) {
      dts = new long[Math.max(n, dts.length * 2)];
      sizes = Arrays.copyOf(sizes, dts.length);
    }
    for (int i = 0; i < n; i++) {
      MediaSample s = samples.get(i);
      Preconditions.requireArgument(s.trackId() == track.format().trackId(), "sample of track %d in track %d",
          s.trackId(), track.format().trackId());
      dts[i] = track.fromTicks90k(s.dts90k());
      if (compositionShift < 0) {
        compositionShift = track.isVideo() ? Math.max(0, track.fromTicks90k(s.pts90k()) - dts[i]) : 0;
      }
      dts[i] += compositionShift;
      if (dts[i] <= lastDecodeTime && lastDecodeTime - dts[i] <= NEAR_DUPLICATE_TICKS) {
        dts[i] = lastDecodeTime + 1; // ISO/IEC 14496-12 §8.6.1.2: decode times strictly increase
      }
      lastDecodeTime = dts[i];
    }
  }

  /**
   * Where {@link #writeMoof} put what is patched later, and what it summed up.
   *
   * @param start where the moof starts in its writer
   * @param size bytes of the moof
   * @param firstEntryAt where the first trun entry starts (its sample_size is 4 bytes further)
   * @param entryBytes bytes per trun entry
   * @param duration sum of the sample durations
   * @param earliest smallest composition time
   * @param firstSync whether the first sample is a sync sample
   */
  private record Moof(int start, int size, int firstEntryAt, int entryBytes, long duration, long earliest,
      boolean firstSync) {
    /** Where sample {@code i}'s sample_size (32) is. */
    int sizeAt(int i) {
      return firstEntryAt + i * entryBytes + 4;
    }
  }

  /**
   * Writes the {@code moof} of {@code samples} into {@code moof}, with sample sizes 0 (patched by the caller) and
   * data_offset pointing just past an {@code mdat} header that follows it; for a fragment encrypted with
   * {@code fragmentProtection} (null: clear) also its {@code senc}/{@code saiz}/{@code saio} from {@link
   * #encrypted}, and the {@code seig} group and {@code pssh} of a key other than the track's default.
   */
  private Moof writeMoof(BoxWriter moof, long sequenceNumber, List<MediaSample> samples, long nextDts90k,
      TrackEncryption fragmentProtection) throws MediaException {
    int n = samples.size();
    boolean video = track.isVideo();
    boolean ownGroup = protection != null && !protection.sameKey(fragmentProtection);
    int start = moof.position();
    moof.start("moof");
    moof.startFull("mfhd", 0, 0).u32(sequenceNumber).end(); // sequence_number (32)
    if (fragmentProtection != null && (ownGroup || !protection.psshInInit())) {
      // ISO/IEC 23001-7 §8.1: a rotated key's pssh, or with pssh kept out of the init segment every fragment's
      CencBoxes.writePssh(moof, fragmentProtection.psshBoxes());
    }
    moof.start("traf");
    moof.startFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF | (video ? 0 : TFHD_DEFAULT_SAMPLE_FLAGS));
    moof.u32(track.trackId()); // track_ID (32)
    if (!video) {
      moof.u32(FLAGS_SYNC); // default_sample_flags (32)
    }
    moof.end();
    moof.startFull("tfdt", 1, 0).u64(dts[0]).end(); // baseMediaDecodeTime (64)
    int trunFlags = TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | (video ? TRUN_FLAGS | TRUN_COMPOSITION_OFFSET : 0);
    moof.startFull("trun", 1, trunFlags);
    moof.u32(n); // sample_count (32)
    int dataOffsetAt = moof.position();
    moof.u32(0); // data_offset (32), patched below
    int firstEntryAt = moof.position();
    int entryBytes = video ? 16 : 8;
    long previous = -1;
    long total = 0;
    long earliest = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      long duration;
      if (i + 1 < n) {
        duration = dts[i + 1] - dts[i];
      } else if (nextDts90k != Timestamps.NO_TIMESTAMP) {
        duration = track.fromTicks90k(nextDts90k) + compositionShift - dts[i];
      } else {
        duration = previous >= 0 ? previous : track.nominalSampleDuration();
      }
      duration = Math.max(0, Math.min(duration, 0xFFFF_FFFFL)); // damaged input: never negative
      previous = duration;
      total += duration;
      moof.u32(duration); // sample_duration (32)
      moof.u32(0); // sample_size (32), patched once the payload is written
      MediaSample s = samples.get(i);
      long cto = track.fromTicks90k(s.pts90k()) - dts[i]; // PTS − (DTS + D)
      earliest = Math.min(earliest, dts[i] + cto);
      if (video) {
        moof.u32(s.keyframe() ? FLAGS_SYNC : FLAGS_NON_SYNC); // sample_flags (32)
        moof.u32((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, cto))); // composition offset (32, signed)
      }
    }
    moof.end(); // trun
    if (ownGroup) {
      CencBoxes.writeSeigGroup(moof, n, fragmentProtection, protection);
    }
    if (fragmentProtection != null && CencBoxes.hasAuxInfo(encrypted, n, fragmentProtection.perSampleIvSize())) {
      CencBoxes.writeAuxInfo(moof, start, encrypted, n, fragmentProtection.perSampleIvSize());
    }
    moof.end(); // traf
    moof.end(); // moof
    int moofSize = moof.position() - start;
    moof.patchU32(dataOffsetAt, moofSize + 8L); // data_offset: from the moof to the first byte in mdat
    return new Moof(start, moofSize, firstEntryAt, entryBytes, total, earliest, samples.get(0).keyframe());
  }

  /**
   * An encrypted fragment: the samples are encrypted straight into {@code out}, from its position on; the moof,
   * whose senc and saiz depend on them, is then written into {@link #encryptedMoof} and put in front. The heap
   * holds the fragment once (no cipher-text array besides the segment).
   */
  private Fragment writeEncrypted(BoxWriter out, long sequenceNumber, List<MediaSample> samples, long nextDts90k,
      SegmentSampleEncryptor encryptor) throws MediaException {
    int n = samples.size();
    int fragmentStart = out.position();
    int encryptedBytes = encryptSamples(samples, encryptor, out);
    Moof moof = writeMoof(encryptedMoof.reset(), sequenceNumber, samples, nextDts90k,
        TrackEncryption.of(encryptor, track.format()));
    // Their bytes are views of the segment's array: kept, they pinned a segment after it was written
    Arrays.fill(encrypted, 0, n, null);
    for (int i = 0; i < n; i++) {
      encryptedMoof.patchU32(moof.sizeAt(i), sizes[i]);
    }
    // moof + mdat header in front of the encrypted samples: they move up by that much (within the array)
    byte[] buffer = out.room(encryptedBytes, moof.size() + 8 + encryptedBytes);
    System.arraycopy(buffer, fragmentStart, buffer, fragmentStart + moof.size() + 8, encryptedBytes);
    out.bytes(encryptedMoof);
    out.u32(8L + encryptedBytes).fourcc("mdat"); // size (32), type (32)
    out.advance(encryptedBytes);
    return new Fragment(dts[0], moof.duration(), moof.earliest(), n, fragmentStart, out.position() - fragmentStart,
        fragmentStart + moof.size() + 8 + sizes[0], moof.firstSync());
  }

  /**
   * Ends a clear fragment with the {@code mdat} header only ({@link SampleData#EXTERNAL}): the caller appends the
   * samples' bytes, as long as their {@code data()}.
   */
  private Fragment externalMdat(BoxWriter out, List<MediaSample> samples, Moof moof) {
    int n = samples.size();
    int mdatStart = out.position();
    long data = 0;
    for (int i = 0; i < n; i++) {
      sizes[i] = samples.get(i).data().length();
      out.patchU32(moof.sizeAt(i), sizes[i]);
      data += sizes[i];
    }
    Preconditions.requireArgument(8 + data <= 0xFFFF_FFFFL, "%d bytes of samples in one fragment", data);
    out.u32(8 + data).fourcc("mdat"); // size (32), type (32); the caller appends the data
    return new Fragment(dts[0], moof.duration(), moof.earliest(), n, moof.start(), (int) Math.min(Integer.MAX_VALUE,
        out.position() - moof.start() + data), mdatStart + 8 + sizes[0], moof.firstSync());
  }

  /**
   * Ends a clear fragment with an {@code mdat} of the samples in MP4 form, written straight into {@code out} (no
   * staging copy); their sizes are patched into the trun.
   */
  private Fragment inlineMdat(BoxWriter out, List<MediaSample> samples, Moof moof) throws MediaException {
    int n = samples.size();
    int mdatStart = out.position();
    out.start("mdat");
    for (int i = 0; i < n; i++) {
      sizes[i] = append(samples.get(i).data(), out);
      out.patchU32(moof.sizeAt(i), sizes[i]);
    }
    out.end();
    return new Fragment(dts[0], moof.duration(), moof.earliest(), n, moof.start(), out.position() - moof.start(),
        mdatStart + 8 + sizes[0], moof.firstSync());
  }
  /** Appends {@code payload} in MP4 form to {@code out}: converted, or as it is; returns the bytes appended. */
  private int append(io.iptv.core.io.ByteSlice payload, BoxWriter out) throws MediaException {
    if (sampleData == SampleData.MP4_FORM) {
      out.bytes(payload);
      return payload.length();
    }
    return payloads.append(payload, out);
  }

  /**
   * Converts each sample to MP4 form (4-byte NAL lengths for video) and encrypts it into {@code out}'s buffer
   * after its position, one after another ({@link #encrypted}: their IVs and subsamples; {@link #sizes}); the
   * position does not move. Each clear sample is staged alone in {@link #clearSample}, so that no array is
   * allocated per sample and the heap holds the fragment once (an 8 s 720p segment in a 64 MB heap). Returns the
   * bytes encrypted.
   */
  private int encryptSamples(List<MediaSample> samples, SegmentSampleEncryptor encryptor, BoxWriter out)
      throws MediaException {
    int n = samples.size();
    if (encrypted.length < n) {
      encrypted = new EncryptedSample[Math.max(n, encrypted.length * 2)];
    }
    boolean nal = track.format().codec() == io.iptv.core.media.Codec.H264
        || track.format().codec() == io.iptv.core.media.Codec.H265;
    int base = out.position();
    long at = 0;
    for (int i = 0; i < n; i++) {
      clearSample.reset();
      int length = append(samples.get(i).data(), clearSample);
      if (base + at + length > Integer.MAX_VALUE - 1024) {
        throw MediaException.unsupported("a fragment of over " + (at + length) + " bytes of samples");
      }
      byte[] into = out.room((int) at, (int) at + length);
      // SegmentSampleEncryptor.encrypt neither keeps nor modifies its input; its output is a view of `into`
      EncryptedSample e = encryptor.encrypt(track.format(), clearSample.array(), 0, length, nal ? 4 : 0, into,
          base + (int) at);
      if (e.bytes().length() != length) {
        throw MediaException.unsupported("ISO Common Encryption must keep the sample size (" + length
            + " bytes became " + e.bytes().length() + ")");
      }
      encrypted[i] = e;
      sizes[i] = length;
      at += length;
    }
    return (int) at;
  }
}
