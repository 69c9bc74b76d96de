package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code moov} box (ISO/IEC 14496-12 §8.2): the supported tracks in file order and whether
 * the movie is fragmented ({@code mvex}, §8.8.1). Tracks whose handler is not {@code vide}/{@code soun}
 * or whose codec the library cannot carry are skipped. Immutable.
 *
 * @param tracks supported tracks
 * @param fragmented whether an {@code mvex} box announces movie fragments
 * @param skipped descriptions of the tracks that were skipped, for messages
 */
record MovieBox(List<Mp4Track> tracks, boolean fragmented, List<String> skipped) {
  /** Parses the {@code moov} payload held in {@code data} (the whole box, header included). */
  static MovieBox parse(byte[] data) throws MediaException {
    List<BoxHeader> moov = Boxes.children(data, 8, data.length);
    ByteCursor mvhd = Boxes.payload(data, Boxes.require(moov, "mvhd", "moov"));
    int version = mvhd.readUnsignedByte(); // version (8)
    mvhd.skip(3 + (version == 1 ? 16 : 8)); // flags, creation_time, modification_time
    long movieTimescale = mvhd.readUnsignedInt(); // timescale (32)
    if (movieTimescale == 0) {
      throw MediaException.malformed("mvhd timescale is 0");
    }
    BoxHeader mvex = Boxes.find(moov, "mvex");
    Map<Integer, TrackDefaults> defaults = mvex == null ? Map.of() : parseTrex(data, mvex);
    List<Mp4Track> tracks = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (BoxHeader trak : moov) {
      if (trak.is("trak")) {
        Mp4Track track = parseTrack(data, trak, movieTimescale, defaults, skipped);
        if (track != null) {
          for (Mp4Track other : tracks) {
            if (other.trackId() == track.trackId()) {
              throw MediaException.malformed("two tracks with track_ID " + track.trackId());
            }
          }
          tracks.add(track);
        }
      }
    }
    return new MovieBox(List.copyOf(tracks), mvex != null, List.copyOf(skipped));
  }

  private static Map<Integer, TrackDefaults> parseTrex(byte[] data, BoxHeader mvex) throws MediaException {
    Map<Integer, TrackDefaults> result = new HashMap<>();
    for (BoxHeader box : Boxes.children(data, mvex, 0)) {
      if (box.is("trex")) {
        ByteCursor c = Boxes.payload(data, box);
        c.skip(4); // version (8), flags (24)
        int trackId = c.readInt(); // track_ID (32)
        c.skip(4); // default_sample_description_index (32)
        long duration = c.readUnsignedInt(); // default_sample_duration (32)
        long size = c.readUnsignedInt(); // default_sample_size (32)
        int flags = c.readInt(); // default_sample_flags (32)
        result.put(trackId, new TrackDefaults(duration, size, flags));
      }
    }
    return result;
  }

  private static Mp4Track parseTrack(byte[] data, BoxHeader trak, long movieTimescale,
      Map<Integer, TrackDefaults> defaults, List<String> skipped) throws MediaException {
    List<BoxHeader> children = Boxes.children(data, trak, 0);
    ByteCursor tkhd = Boxes.payload(data, Boxes.require(children, "tkhd", "trak"));
    int version = tkhd.readUnsignedByte(); // version (8)
    tkhd.skip(3 + (version == 1 ? 16 : 8)); // flags, creation_time, modification_time
    int trackId = tkhd.readInt(); // track_ID (32)
    tkhd.skip(4 + (version == 1 ? 8 : 4) + 8 + 2 + 2 + 2 + 2 + 36); // reserved, duration, ..., matrix
    int width = (int) (tkhd.readUnsignedInt() >>> 16); // width (16.16)
    int height = (int) (tkhd.readUnsignedInt() >>> 16); // height (16.16)

    List<BoxHeader> mdia = Boxes.children(data, Boxes.require(children, "mdia", "trak"), 0);
    ByteCursor mdhd = Boxes.payload(data, Boxes.require(mdia, "mdhd", "mdia"));
    int mdhdVersion = mdhd.readUnsignedByte(); // version (8)
    mdhd.skip(3 + (mdhdVersion == 1 ? 16 : 8)); // flags, creation_time, modification_time
    long timescale = mdhd.readUnsignedInt(); // timescale (32)
    long duration = mdhdVersion == 1 ? mdhd.readLong() : mdhd.readUnsignedInt(); // duration
    String language = language(mdhd.readUnsignedShort()); // pad (1), language (15)
    ByteCursor hdlr = Boxes.payload(data, Boxes.require(mdia, "hdlr", "mdia"));
    hdlr.skip(8); // version/flags (32), pre_defined (32)
    String handler = BoxHeader.name(hdlr.readInt()); // handler_type (32)
    if (!handler.equals("vide") && !handler.equals("soun")) {
      skipped.add("track " + trackId + " (" + handler + ")");
      return null;
    }
    if (timescale == 0) {
      throw MediaException.malformed("track " + trackId + ": mdhd timescale is 0");
    }
    List<BoxHeader> minf = Boxes.children(data, Boxes.require(mdia, "minf", "mdia"), 0);
    List<BoxHeader> stbl = Boxes.children(data, Boxes.require(minf, "stbl", "minf"), 0);
    SampleTable table = SampleTable.parse(data, stbl, trackId);
    double frameRate = duration > 0 && table.sampleCount() > 0 ? table.sampleCount() * (double) timescale / duration : 0;
    TrackFormat.Builder base = TrackFormat.builder(trackId, io.iptv.core.media.Codec.UNKNOWN)
        .language(language).width(width).height(height);
    TrackSetup setup = SampleEntries.parse(data, Boxes.require(stbl, "stsd", "stbl"), base, frameRate);
    if (setup == null) {
      skipped.add("track " + trackId + " (unsupported sample entry)");
      return null;
    }
    EditList edits = EditList.NONE;
    BoxHeader edts = Boxes.find(children, "edts");
    if (edts != null) {
      BoxHeader elst = Boxes.find(Boxes.children(data, edts, 0), "elst");
      if (elst != null) {
        edits = EditList.parse(Boxes.payload(data, elst));
      }
    }
    if (edits.mediaTime() > (1L << 48) || edits.delayMovie() > (1L << 48)) {
      throw MediaException.malformed("track " + trackId + ": implausible edit list " + edits);
    }
    long shift = edits.shift(movieTimescale, timescale);
    return new Mp4Track(setup, timescale, shift, table, defaults.getOrDefault(trackId, TrackDefaults.NONE));
  }

  /** ISO 639-2/T code packed as three 5-bit letters (each + 0x60); "und" and invalid codes are null. */
  static String language(int packed) {
    char[] letters = new char[3];
    for (int i = 0; i < 3; i++) {
      int letter = (packed >> (10 - 5 * i)) & 0x1F;
      if (letter < 1 || letter > 26) {
        return null;
      }
      letters[i] = (char) (letter + 0x60);
    }
    String code = new String(letters);
    return code.equals("und") ? null : code;
  }
}
