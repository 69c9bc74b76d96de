package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one movie fragment ({@code moof}, ISO/IEC 14496-12 §8.8.4–§8.8.12): per track fragment the
 * {@code tfhd} defaults, the {@code tfdt} base decode time and the {@code trun} sample runs, resolved to
 * absolute file offsets and decode times. Tracks not in {@code tracks} are ignored. Single-threaded; the
 * decode-time continuation (for fragments without {@code tfdt}) lives in {@code nextDts}.
 */
final class MovieFragment {
  // tfhd flags (§8.8.7.1)
  private static final int TFHD_BASE_DATA_OFFSET = 0x000001;
  private static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
  private static final int TFHD_DEFAULT_DURATION = 0x000008;
  private static final int TFHD_DEFAULT_SIZE = 0x000010;
  private static final int TFHD_DEFAULT_FLAGS = 0x000020;
  private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
  // trun flags (§8.8.8.1)
  private static final int TRUN_DATA_OFFSET = 0x000001;
  private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
  private static final int TRUN_DURATION = 0x000100;
  private static final int TRUN_SIZE = 0x000200;
  private static final int TRUN_FLAGS = 0x000400;
  private static final int TRUN_COMPOSITION_OFFSET = 0x000800;
  /** sample_is_non_sync_sample in sample flags (§8.8.3.1). */
  private static final int SAMPLE_IS_NON_SYNC = 0x00010000;
  /** Most samples one fragment may list (bounds memory: about 50 bytes each). */
  static final int MAX_FRAGMENT_SAMPLES = 200_000;

  private MovieFragment() {}

  /**
   * Parses {@code moof} (the whole box in {@code data}) that starts at file offset {@code moofStart}.
   *
   * @param tracks the supported tracks by track_ID
   * @param nextDts per track_ID the decode time following the previous fragment; updated
   * @return per track_ID its samples in this fragment, in decode order
   */
  static Map<Integer, List<SampleRef>> parse(byte[] data, long moofStart, Map<Integer, Mp4Track> tracks,
      Map<Integer, Long> nextDts) throws MediaException {
    Map<Integer, List<SampleRef>> result = new LinkedHashMap<>();
    long previousTrafDataEnd = moofStart;
    long total = 0;
    for (BoxHeader traf : Boxes.children(data, 8, data.length)) {
      if (!traf.is("traf")) {
        continue;
      }
      List<BoxHeader> children = Boxes.children(data, traf, 0);
      ByteCursor tfhd = Boxes.payload(data, Boxes.require(children, "tfhd", "traf"));
      tfhd.skip(1); // version (8)
      int flags = tfhd.readUnsignedInt24(); // tf_flags (24)
      int trackId = tfhd.readInt(); // track_ID (32)
      Mp4Track track = tracks.get(trackId);
      long base;
      if ((flags & TFHD_BASE_DATA_OFFSET) != 0) {
        base = tfhd.readLong(); // base_data_offset (64)
      } else if ((flags & TFHD_DEFAULT_BASE_IS_MOOF) != 0) {
        base = moofStart;
      } else {
        base = previousTrafDataEnd; // the moof for the first traf, else where the previous traf's data ended
      }
      if ((flags & TFHD_SAMPLE_DESCRIPTION_INDEX) != 0) {
        tfhd.skip(4); // sample_description_index (32)
      }
      TrackDefaults trex = track == null ? TrackDefaults.NONE : track.defaults();
      long defaultDuration = (flags & TFHD_DEFAULT_DURATION) != 0 ? tfhd.readUnsignedInt() : trex.duration();
      long defaultSize = (flags & TFHD_DEFAULT_SIZE) != 0 ? tfhd.readUnsignedInt() : trex.size();
      int defaultFlags = (flags & TFHD_DEFAULT_FLAGS) != 0 ? tfhd.readInt() : trex.flags();

      long dts = nextDts.getOrDefault(trackId, 0L);
      BoxHeader tfdt = Boxes.find(children, "tfdt");
      if (tfdt != null) {
        ByteCursor c = Boxes.payload(data, tfdt);
        int version = c.readUnsignedByte(); // version (8)
        c.skip(3); // flags (24)
        dts = version == 1 ? c.readLong() : c.readUnsignedInt(); // baseMediaDecodeTime
        if (dts < 0 || dts > (1L << 56)) {
          throw MediaException.malformed("track " + trackId + ": tfdt baseMediaDecodeTime " + dts + " out of range");
        }
      }
      List<SampleRef> samples = track == null ? null : result.computeIfAbsent(trackId, id -> new ArrayList<>());
      long dataPos = base;
      for (BoxHeader trunBox : children) {
        if (!trunBox.is("trun")) {
          continue;
        }
        ByteCursor trun = Boxes.payload(data, trunBox);
        trun.skip(1); // version (8): 1 = signed composition offsets; version 0 is read signed too, as FFmpeg does
        int trunFlags = trun.readUnsignedInt24(); // tr_flags (24)
        long count = trun.readUnsignedInt(); // sample_count (32)
        if ((trunFlags & TRUN_DATA_OFFSET) != 0) {
          dataPos = base + trun.readInt(); // data_offset (32, signed)
        }
        int firstFlags = (trunFlags & TRUN_FIRST_SAMPLE_FLAGS) != 0 ? trun.readInt() : 0; // first_sample_flags
        int perSample = 4 * Integer.bitCount(trunFlags & (TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_COMPOSITION_OFFSET));
        if (perSample > 0) {
          Boxes.checkEntries(trun, count, perSample, "trun");
        }
        total += count;
        if (total > MAX_FRAGMENT_SAMPLES) {
          throw MediaException.limitExceeded("movie fragment at " + moofStart + " lists more than "
              + MAX_FRAGMENT_SAMPLES + " samples");
        }
        for (long i = 0; i < count; i++) {
          long duration = (trunFlags & TRUN_DURATION) != 0 ? trun.readUnsignedInt() : defaultDuration;
          long size = (trunFlags & TRUN_SIZE) != 0 ? trun.readUnsignedInt() : defaultSize;
          int sampleFlags = (trunFlags & TRUN_FLAGS) != 0 ? trun.readInt()
              : i == 0 && (trunFlags & TRUN_FIRST_SAMPLE_FLAGS) != 0 ? firstFlags : defaultFlags;
          long cto = (trunFlags & TRUN_COMPOSITION_OFFSET) != 0 ? trun.readInt() : 0;
          if (size > Integer.MAX_VALUE || dataPos < 0) {
            throw MediaException.malformed("track " + trackId + ": trun sample " + i + " has size " + size
                + " at offset " + dataPos);
          }
          if (samples != null) {
            samples.add(new SampleRef(dataPos, (int) size, dts, cto, (sampleFlags & SAMPLE_IS_NON_SYNC) == 0));
          }
          dataPos += size;
          dts += duration;
        }
      }
      previousTrafDataEnd = dataPos;
      nextDts.put(trackId, dts);
    }
    return result;
  }
}
