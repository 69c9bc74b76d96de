package io.iptv.segmenter.chunk;

import io.iptv.core.codec.AacSamplingFrequencies;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.segmenter.slate.SilentAacFrame;
import io.iptv.segmenter.slate.SilentAc3Frame;
import io.iptv.segmenter.slate.SilentEac3Frame;
import io.iptv.segmenter.slate.SilentMpegAudioFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fills holes in AAC, AC-3, E-AC-3 and MPEG-1/2 audio (MP2, MP3) with silent frames, one {@link Chunk} at a
 * time, so that every segment of a period has audio from its start to its end: a packaging stage between the
 * {@link Chunker} and the muxers.
 *
 * <p>Broadcast input loses audio: a PES dropped on a lossy UDP hop, an audio PID missing for seconds while the
 * video goes on, an input that stops right after a video keyframe (its audio, muxed later, never arrives). In
 * MPEG-TS output such a hole plays as a stall or a click; in fMP4 output, where audio is its own rendition, a
 * segment without one audio sample cannot be written at all (a CMAF fragment has at least one sample,
 * ISO/IEC 23000-19 §7.3.2.2), and a hole in the media timeline leaves a gap in the player's buffered range
 * that hls.js waits on for seconds before it seeks over it. Within a period, this filler inserts silent
 * AAC-LC frames ({@link SilentAacFrame}), AC-3 ({@link SilentAc3Frame}), E-AC-3 ({@link SilentEac3Frame})
 * or MPEG audio frames ({@link SilentMpegAudioFrame}), the last three shaped like the track's own, wherever
 * such a track's next sample starts {@value #MIN_GAP_FRAMES} or more frame durations after the end of its
 * previous one, and at the end of a
 * chunk whose audio stops that much before the chunk ends. A period's first chunk is measured from its start
 * (audio that starts late after a discontinuity is preceded by silence). Holes shorter than that are left
 * alone (timestamp jitter, a single lost frame). Inserted AAC frames take the framing of the track's samples:
 * ADTS (MPEG-TS input) or raw access units (MP4 input, AudioSpecificConfig object type 2 only). E-AC-3 samples
 * that carry dependent substreams (7.1) are not filled.
 *
 * <p>A real sample that arrives after silence was inserted for its time (audio later than the chunker waits,
 * {@link ChunkingPolicy#maxInterleave90k()}) is dropped and handed to the drop listener, so timestamps never
 * go backwards in a track. Tracks with another codec, an unsupported sample rate or channel layout, or no
 * sample yet are passed through unchanged.
 *
 * <p>Not thread-safe: call it on the thread that receives the chunks.
 *
 * <pre>{@code
 * AudioGapFiller filler = new AudioGapFiller(dropped -> recycler.recycle(dropped.data()));
 * filler.onFormat(format);                 // every TrackAdded / TrackChanged
 * Chunk complete = filler.fill(chunk);     // before muxing
 * }</pre>
 */
public final class AudioGapFiller {
  /** Holes of at least this many frame durations are filled. */
  public static final int MIN_GAP_FRAMES = 2;

  private final Consumer<MediaSample> dropped;
  private final Map<Integer, TrackFormat> formats = new LinkedHashMap<>();
  private final Map<Integer, Track> tracks = new HashMap<>();
  private long framesInserted;
  private long samplesDropped;

  /** A filler that reports real samples it drops (overlapping inserted silence) to {@code dropped}. */
  public AudioGapFiller(Consumer<MediaSample> dropped) {
    this.dropped = dropped;
  }

  /** Records a track's format (from {@code TrackAdded} and {@code TrackChanged}). */
  public void onFormat(TrackFormat format) {
    if (format.type() == TrackType.AUDIO) {
      formats.put(format.trackId(), format);
      Track t = tracks.get(format.trackId());
      if (t != null) {
        t.frame = null; // the next real sample decides the framing again
      }
    }
  }

  /** Silent frames inserted so far. */
  public long framesInserted() {
    return framesInserted;
  }

  /** Real samples dropped so far because they overlapped inserted silence. */
  public long samplesDropped() {
    return samplesDropped;
  }

  /** {@code chunk} with its audio holes filled; the same instance when nothing changed. */
  public Chunk fill(Chunk chunk) {
    List<MediaSample> inserted = null;
    List<MediaSample> removed = null;
    long end90k = chunk.start90k() + chunk.duration90k();
    for (TrackFormat f : formats.values()) {
      Track t = tracks.computeIfAbsent(f.trackId(), id -> new Track());
      if (t.period != chunk.period()) {
        t.period = chunk.period();
        t.next90k = chunk.start90k();
        t.filledUntil90k = Long.MIN_VALUE;
      }
      int kept = 0;
      for (MediaSample s : chunk.samples()) {
        if (s.trackId() != f.trackId()) {
          continue;
        }
        t.learn(s, f);
        if (t.frame != null && s.pts90k() < t.filledUntil90k - t.frameDuration90k / 2) {
          removed = add(removed, s); // its time is already covered by silence
          continue;
        }
        if (t.frame != null) {
          inserted = fillUntil(t, f, s.pts90k(), inserted);
        }
        kept++;
        t.next90k = Math.max(t.next90k, s.pts90k() + Math.round(t.frameDuration90k));
      }
      if (t.frame != null) {
        long hole = end90k - t.next90k;
        int n = (int) (hole / t.frameDuration90k);
        if (hole >= MIN_GAP_FRAMES * t.frameDuration90k) {
          inserted = insert(t, f, t.next90k, t.frameDuration90k, n, inserted);
        } else if (kept == 0 && (inserted == null || !hasTrack(inserted, f.trackId()))) {
          // a short chunk (a period's last frames) with no audio at all still gets one frame: a segment of an
          // audio rendition cannot be empty
          inserted = insert(t, f, t.next90k, t.frameDuration90k, Math.max(1, n), inserted);
        }
      }
    }
    if (inserted == null && removed == null) {
      return chunk;
    }
    List<MediaSample> samples = new ArrayList<>(chunk.samples().size() + (inserted == null ? 0 : inserted.size()));
    for (MediaSample s : chunk.samples()) {
      if (removed == null || !containsIdentity(removed, s)) {
        samples.add(s);
      }
    }
    if (inserted != null) {
      samples.addAll(inserted);
      samples.sort(Comparator.comparingLong(MediaSample::dts90k)); // stable: keeps each track's order
    }
    if (removed != null) {
      samplesDropped += removed.size();
      for (MediaSample s : removed) {
        dropped.accept(s);
      }
    }
    return new Chunk(chunk.sequence(), chunk.period(), chunk.discontinuity(), chunk.start90k(),
        chunk.duration90k(), samples);
  }

  /** Silence from the track's end up to {@code pts90k} if the hole is long enough, spread evenly over it. */
  private List<MediaSample> fillUntil(Track t, TrackFormat f, long pts90k, List<MediaSample> inserted) {
    long hole = pts90k - t.next90k;
    if (hole < MIN_GAP_FRAMES * t.frameDuration90k) {
      return inserted;
    }
    int n = (int) Math.round(hole / t.frameDuration90k);
    return insert(t, f, t.next90k, (double) hole / n, n, inserted);
  }

  private List<MediaSample> insert(Track t, TrackFormat f, long from90k, double step90k, int n,
      List<MediaSample> inserted) {
    List<MediaSample> out = inserted == null ? new ArrayList<>() : inserted;
    for (int i = 0; i < n; i++) {
      long pts = from90k + Math.round(i * step90k);
      out.add(new MediaSample(f.trackId(), pts, pts, true, t.frame));
    }
    framesInserted += n;
    t.next90k = from90k + Math.round(n * step90k);
    t.filledUntil90k = t.next90k;
    return out;
  }

  private static List<MediaSample> add(List<MediaSample> list, MediaSample s) {
    List<MediaSample> out = list == null ? new ArrayList<>() : list;
    out.add(s);
    return out;
  }

  private static boolean hasTrack(List<MediaSample> samples, int trackId) {
    for (MediaSample m : samples) {
      if (m.trackId() == trackId) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIdentity(List<MediaSample> list, MediaSample s) {
    for (MediaSample m : list) {
      if (m == s) {
        return true;
      }
    }
    return false;
  }

  /** One track: where its audio ends in the current period and what a silent frame of it looks like. */
  private static final class Track {
    int period = -1;
    long next90k;
    long filledUntil90k = Long.MIN_VALUE;
    /** A silent frame in the track's framing; null until a real sample showed it (or none can be built). */
    ByteSlice frame;
    /**
     * One frame's samples at its sampling rate: 1024 for AAC-LC (ISO/IEC 14496-3 §1.6.5.1), 1536 for AC-3
     * (ATSC A/52 §5.1), 256 per block for E-AC-3, 384, 576 or 1152 for MPEG audio (ISO/IEC 11172-3, 13818-3).
     */
    double frameDuration90k;

    /**
     * Learns the silent frame and its duration from the track's first real sample that shows them; a codec
     * without a silence builder (or a format none can be built for) leaves {@link #frame} null: not filled.
     */
    void learn(MediaSample s, TrackFormat f) {
      if (frame != null) {
        return;
      }
      ByteSlice sample = s.data();
      switch (f.codec()) {
        case AAC -> learned(silentAac(sample, f), 1024.0 * 90_000 / rateOf(sample, f));
        case AC3 -> learned(SilentAc3Frame.like(sample), SilentAc3Frame.duration90k(sample));
        case EAC3 -> learned(SilentEac3Frame.like(sample), SilentEac3Frame.duration90k(sample));
        case MPEG_AUDIO, MP3 -> learned(SilentMpegAudioFrame.like(sample), SilentMpegAudioFrame.duration90k(sample));
        default -> { }
      }
    }

    private void learned(ByteSlice silence, double duration90k) {
      if (silence != null) {
        frame = silence;
        frameDuration90k = duration90k;
      }
    }
  }

  /** A silent AAC frame in the framing of {@code sample}, or null if none can be built. */
  static ByteSlice silentAac(ByteSlice sample, TrackFormat f) {
    if (isAdts(sample)) {
      int rate = adtsRate(sample);
      int channels = sample.length() > 3 ? (sample.byteAt(2) & 0x01) << 2 | (sample.byteAt(3) & 0xC0) >> 6 : 0;
      return rate > 0 && SilentAacFrame.isSupported(rate, channels) ? SilentAacFrame.adts(rate, channels) : null;
    }
    // raw access units (MP4): only AAC-LC (object type 2), the object type a silent LC block decodes as
    List<ByteSlice> config = f.codecConfig();
    boolean lc = !config.isEmpty() && config.get(0).length() >= 2 && (config.get(0).byteAt(0) & 0xF8) >> 3 == 2;
    if (!lc || !SilentAacFrame.isSupported(f.sampleRate(), f.channels())) {
      return null;
    }
    ByteSlice adts = SilentAacFrame.adts(f.sampleRate(), f.channels());
    return adts.slice(7, adts.length() - 7);
  }

  private static int rateOf(ByteSlice sample, TrackFormat f) {
    int rate = isAdts(sample) ? adtsRate(sample) : 0;
    return rate > 0 ? rate : f.sampleRate();
  }

  private static boolean isAdts(ByteSlice s) {
    return s.length() >= 7 && s.byteAt(0) == 0xFF && (s.byteAt(1) & 0xF6) == 0xF0;
  }

  /** sampling_frequency_index of an ADTS header (ISO/IEC 14496-3 Table 1.18), as a rate; 0 if reserved. */
  private static int adtsRate(ByteSlice s) {
    return AacSamplingFrequencies.rate((s.byteAt(2) & 0x3C) >> 2); // sampling_frequency_index (4)
  }
}
