package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.codec.H265Sps;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an HEVC Annex B byte stream (ITU-T H.265 Annex B, stream_type 0x24) into one
 * {@link io.iptv.core.media.MediaSample} per access unit, the payload being the access unit's bytes as sent.
 *
 * <p>Access units are split as FFmpeg's HEVC parser does (H.265 §7.4.2.4.4 simplified): once a slice with
 * first_slice_segment_in_pic_flag was seen, a VPS, SPS, PPS, AUD, EOS, EOB, prefix SEI or reserved
 * 41..44/48..55 NAL unit, or the next slice with first_slice_segment_in_pic_flag, starts the next access
 * unit. Unlike H.264, a zero byte before a start code stays with the preceding access unit (FFmpeg cuts
 * at the {@code 00 00 01}). Keyframe = an IRAP picture (nal_unit_type 16..23).
 *
 * <p>The format comes from the latest SPS (size after the conformance window, VUI frame rate, codec string
 * per ISO/IEC 14496-15 Annex E, e.g. {@code hvc1.1.6.L93.B0}); codecConfig is [VPS, SPS, PPS] without start
 * codes. Access units before the first VPS/SPS/PPS are dropped. Not thread-safe.
 */
final class H265Reader extends StartCodeUnitReader {
  private static final int NAL_RASL_R = 9;
  private static final int NAL_BLA_W_LP = 16;
  private static final int NAL_CRA = 21;
  private static final int NAL_IRAP_MAX = 23;
  private static final int NAL_VPS = 32;
  private static final int NAL_SPS = 33;
  private static final int NAL_PPS = 34;
  private static final int NAL_EOB = 37;
  private static final int NAL_SEI_PREFIX = 39;

  private boolean frameStartFound;
  private byte[] vps;
  private byte[] spsBytes;
  private H265Sps sps;
  private byte[] pps;
  private boolean configChanged;
  private TrackFormat built;

  H265Reader(EsInfo info) {
    this(info, null);
  }

  /** A reader whose access units are lent from {@code pool} (null: allocated). */
  H265Reader(EsInfo info, SampleBufferPool pool) {
    super(info, pool);
  }

  @Override
  int headerBytesNeeded() {
    return 3; // nal_unit_header (2) + first_slice_segment_in_pic_flag
  }

  @Override
  boolean zeroByteBelongsToNextUnit() {
    return false;
  }

  @Override
  boolean beginsAccessUnit(byte[] data, int header, int available) {
    if (available < 1) {
      return false;
    }
    int type = (data[header] >> 1) & 0x3F; // nal_unit_type (6)
    if ((type >= NAL_VPS && type <= NAL_EOB) || type == NAL_SEI_PREFIX || (type >= 41 && type <= 44)
        || (type >= 48 && type <= 55)) {
      boolean found = frameStartFound;
      frameStartFound = false;
      return found;
    }
    if (type <= NAL_RASL_R || (type >= NAL_BLA_W_LP && type <= NAL_CRA)) {
      boolean firstSliceInPicture = available >= 3 && (data[header + 2] & 0x80) != 0;
      if (firstSliceInPicture) {
        if (frameStartFound) {
          return true;
        }
        frameStartFound = true;
      }
    }
    return false;
  }

  @Override
  void resetScanState() {
    frameStartFound = false;
  }

  @Override
  TrackFormat inspect(AccessUnit unit, TrackFormat current) {
    byte[] data = unit.data;
    for (int i = 0; i < unit.count; i++) {
      int header = unit.header(i);
      int end = unit.end(i);
      if (end - header < 2) {
        continue;
      }
      int type = (data[header] >> 1) & 0x3F;
      if (type >= NAL_BLA_W_LP && type <= NAL_IRAP_MAX) {
        unit.keyframe = true;
      } else if (type == NAL_VPS) {
        vps = replace(vps, data, header, end);
      } else if (type == NAL_SPS) {
        onSps(data, header, end);
      } else if (type == NAL_PPS) {
        pps = replace(pps, data, header, end);
      }
    }
    if (configChanged) {
      configChanged = false;
      if (vps != null && sps != null && pps != null) {
        List<ByteSlice> config = new ArrayList<>();
        config.add(ByteSlice.copyOf(vps));
        config.add(ByteSlice.copyOf(spsBytes));
        config.add(ByteSlice.copyOf(pps));
        built = TrackFormat.builder(info.pid(), Codec.H265)
            .codecString(sps.codecString())
            .width((int) sps.width())
            .height((int) sps.height())
            .frameRate(sps.frameRate())
            .language(info.language())
            .codecConfig(config)
            .build();
      }
    }
    return built;
  }

  private byte[] replace(byte[] known, byte[] data, int start, int end) {
    if (known != null && Arrays.equals(known, 0, known.length, data, start, end)) {
      return known;
    }
    configChanged = true;
    return Arrays.copyOfRange(data, start, end);
  }

  private void onSps(byte[] data, int start, int end) {
    if (spsBytes != null && Arrays.equals(spsBytes, 0, spsBytes.length, data, start, end)) {
      return;
    }
    try {
      H265Sps parsed = H265Sps.parse(data, start, end - start);
      if (!parsed.plausibleSize()) {
        return; // damaged: the previous SPS (if any) stays in force
      }
      sps = parsed;
      spsBytes = Arrays.copyOfRange(data, start, end);
      configChanged = true;
    } catch (MediaException e) {
      // A broken SPS is ignored; the previous one (if any) stays in force.
    }
  }
}
