package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackFormat;
import java.util.List;
import java.util.Locale;

/**
 * Writes a CMAF header / fMP4 initialization segment (ISO/IEC 23000-19 §7.3.2.1): {@code ftyp} (major brand
 * {@code iso6}, compatible {@code iso6 cmfc mp41}) and {@code moov} with {@code mvhd}, one {@code trak} per
 * track (tkhd, mdia: mdhd with timescale and ISO 639-2 language, hdlr, minf with an empty sample table and
 * one sample entry) and {@code mvex} with a {@code trex} per track (ISO/IEC 14496-12 §8.8.1). Durations are
 * zero (fragmented). Sample entries: {@code avc1}+{@code avcC}, {@code hvc1}+{@code hvcC} (parameter sets in
 * the sample entry, as Apple requires), {@code mp4a}+{@code esds}, {@code ac-3}+{@code dac3},
 * {@code ec-3}+{@code dec3}.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * ByteSlice init = InitSegmentWriter.write(List.of(Fmp4Track.of(1, videoFormat, null)));
 * }</pre>
 */
public final class InitSegmentWriter {
  private static final int[] UNITY_MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
  /** Movie timescale: only the (zero) movie duration uses it. */
  private static final int MOVIE_TIMESCALE = 1000;

  private InitSegmentWriter() {}

  /** The init segment for {@code tracks} (one for a CMAF track file). */
  public static ByteSlice write(List<Fmp4Track> tracks) throws MediaException {
    return write(tracks, null);
  }

  /**
   * The init segment for {@code tracks}, all protected by {@code encryption} (null: clear): sample entries
   * {@code encv}/{@code enca} wrapping the original entry with a {@code sinf} (ISO/IEC 23001-7 §8.2,
   * ISO/IEC 14496-12 §8.12), and the {@code pssh} boxes in {@code moov}.
   */
  public static ByteSlice write(List<Fmp4Track> tracks, TrackEncryption encryption) throws MediaException {
    BoxWriter w = new BoxWriter();
    w.start("ftyp").fourcc("iso6").u32(0).fourcc("iso6").fourcc("cmfc").fourcc("mp41").end();
    w.start("moov");
    writeMvhd(w, tracks.stream().mapToInt(Fmp4Track::trackId).max().orElse(0) + 1);
    for (Fmp4Track t : tracks) {
      writeTrak(w, t, encryption);
    }
    w.start("mvex");
    for (Fmp4Track t : tracks) {
      w.startFull("trex", 0, 0);
      w.u32(t.trackId()); // track_ID
      w.u32(1); // default_sample_description_index
      w.u32(0); // default_sample_duration
      w.u32(0); // default_sample_size
      w.u32(0); // default_sample_flags
      w.end();
    }
    w.end(); // mvex
    if (encryption != null && encryption.psshInInit()) { // with key rotation every moof carries its own
      CencBoxes.writePssh(w, encryption.psshBoxes());
    }
    w.end(); // moov
    return w.toSlice();
  }

  private static void writeMvhd(BoxWriter w, int nextTrackId) {
    w.startFull("mvhd", 0, 0);
    w.u32(0).u32(0); // creation_time, modification_time (32): 0 keeps the output deterministic
    w.u32(MOVIE_TIMESCALE).u32(0); // timescale, duration
    w.u32(0x0001_0000).u16(0x0100).zeros(10); // rate 1.0, volume 1.0, reserved (16 + 2×32)
    matrix(w);
    w.zeros(24); // pre_defined (6×32)
    w.u32(nextTrackId); // next_track_ID
    w.end();
  }

  private static void writeTrak(BoxWriter w, Fmp4Track t, TrackEncryption encryption) throws MediaException {
    TrackFormat f = t.format();
    boolean video = t.isVideo();
    w.start("trak");
    w.startFull("tkhd", 0, 0x000003); // track_enabled | track_in_movie
    w.u32(0).u32(0); // creation_time, modification_time
    w.u32(t.trackId()).u32(0); // track_ID, reserved
    w.u32(0); // duration
    w.zeros(8); // reserved (2×32)
    w.u16(0).u16(video ? 0 : 1); // layer, alternate_group
    w.u16(video ? 0 : 0x0100).u16(0); // volume, reserved
    matrix(w);
    w.u32((long) (video ? f.width() : 0) << 16).u32((long) (video ? f.height() : 0) << 16); // width, height 16.16
    w.end();
    w.start("mdia");
    w.startFull("mdhd", 0, 0);
    w.u32(0).u32(0); // creation_time, modification_time
    w.u32(t.timescale()).u32(0); // timescale, duration
    w.u16(packedLanguage(f.language())); // pad (1), language (3×5)
    w.u16(0); // pre_defined
    w.end();
    w.startFull("hdlr", 0, 0);
    w.u32(0).fourcc(video ? "vide" : "soun").zeros(12); // pre_defined, handler_type, reserved (3×32)
    w.cstring(video ? "VideoHandler" : "SoundHandler");
    w.end();
    w.start("minf");
    if (video) {
      w.startFull("vmhd", 0, 1).u16(0).zeros(6).end(); // graphicsmode, opcolor (3×16)
    } else {
      w.startFull("smhd", 0, 0).u16(0).u16(0).end(); // balance, reserved
    }
    w.start("dinf").startFull("dref", 0, 0).u32(1).startFull("url ", 0, 1).end().end().end(); // self-contained
    w.start("stbl");
    w.startFull("stsd", 0, 0).u32(1); // entry_count
    writeSampleEntry(w, t, encryption);
    w.end();
    w.startFull("stts", 0, 0).u32(0).end();
    w.startFull("stsc", 0, 0).u32(0).end();
    w.startFull("stsz", 0, 0).u32(0).u32(0).end(); // sample_size, sample_count
    w.startFull("stco", 0, 0).u32(0).end();
    w.end(); // stbl
    w.end(); // minf
    w.end(); // mdia
    w.end(); // trak
  }

  private static void writeSampleEntry(BoxWriter w, Fmp4Track t, TrackEncryption e) throws MediaException {
    TrackFormat f = t.format();
    String video = e == null ? null : "encv";
    String audio = e == null ? null : "enca";
    switch (f.codec()) {
      case H264 -> {
        visualEntry(w, video != null ? video : "avc1", f);
        DecoderConfigs.writeAvcC(w, f.codecConfig());
        endEntry(w, "avc1", e);
      }
      case H265 -> {
        visualEntry(w, video != null ? video : "hvc1", f);
        DecoderConfigs.writeHvcC(w, f.codecConfig());
        endEntry(w, "hvc1", e);
      }
      case AAC -> {
        if (f.codecConfig().isEmpty()) {
          throw MediaException.malformed("AAC track " + f.trackId() + " has no AudioSpecificConfig");
        }
        audioEntry(w, audio != null ? audio : "mp4a", f);
        DecoderConfigs.writeEsds(w, f.codecConfig().get(0), t.trackId(), 0);
        endEntry(w, "mp4a", e);
      }
      case AC3 -> {
        audioEntry(w, audio != null ? audio : "ac-3", f);
        Dolby.writeDac3(w, t.firstSample());
        endEntry(w, "ac-3", e);
      }
      case EAC3 -> {
        audioEntry(w, audio != null ? audio : "ec-3", f);
        Dolby.writeDec3(w, t.firstSample());
        endEntry(w, "ec-3", e);
      }
      default -> throw MediaException.unsupported("no fMP4 sample entry for " + f.codec());
    }
  }

  /** Closes a sample entry; a protected one gets its {@code sinf} naming the original {@code format} first. */
  private static void endEntry(BoxWriter w, String format, TrackEncryption e) {
    if (e != null) {
      CencBoxes.writeSinf(w, format, e);
    }
    w.end();
  }

  /** VisualSampleEntry fields (ISO/IEC 14496-12 §12.1.3); leaves the box open for its children. */
  private static void visualEntry(BoxWriter w, String type, TrackFormat f) {
    w.start(type);
    w.zeros(6).u16(1); // reserved (6×8), data_reference_index
    w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined (3×32)
    w.u16(f.width()).u16(f.height()); // width, height
    w.u32(0x0048_0000).u32(0x0048_0000); // horizresolution, vertresolution: 72 dpi
    w.u32(0).u16(1); // reserved, frame_count
    w.zeros(32); // compressorname (32 bytes, empty)
    w.u16(0x0018).u16(0xFFFF); // depth, pre_defined = -1
  }

  /** AudioSampleEntry fields (ISO/IEC 14496-12 §12.2.3); leaves the box open for its children. */
  private static void audioEntry(BoxWriter w, String type, TrackFormat f) {
    w.start(type);
    w.zeros(6).u16(1); // reserved (6×8), data_reference_index
    w.zeros(8); // reserved (2×32)
    w.u16(f.channels() > 0 ? f.channels() : 2).u16(16); // channelcount, samplesize
    w.u16(0).u16(0); // pre_defined, reserved
    w.u32(f.sampleRate() <= 0xFFFF ? (long) f.sampleRate() << 16 : 0); // samplerate (16.16)
  }

  private static void matrix(BoxWriter w) {
    for (int v : UNITY_MATRIX) {
      w.u32(v);
    }
  }

  /** ISO 639-2/T code packed as three 5-bit letters (§8.4.2.3); "und" when unknown. */
  static int packedLanguage(String language) {
    String code = language != null && language.matches("[A-Za-z]{3}") ? language.toLowerCase(Locale.ROOT) : "und";
    return ((code.charAt(0) - 0x60) << 10) | ((code.charAt(1) - 0x60) << 5) | (code.charAt(2) - 0x60);
  }
}
