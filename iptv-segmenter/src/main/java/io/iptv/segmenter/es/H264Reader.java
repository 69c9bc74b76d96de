package io.iptv.segmenter.es;

import io.iptv.core.MediaException;
import io.iptv.core.codec.H264Sps;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.EmulationPrevention;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an H.264 Annex B byte stream (ITU-T H.264 Annex B, stream_type 0x1B) into one
 * {@link io.iptv.core.media.MediaSample} per access unit, the payload being the access unit's bytes as sent
 * (start codes, AUD, SEI, parameter sets, slices).
 *
 * <p>Access units are split as FFmpeg's H.264 parser does (H.264 §7.4.1.2.3 simplified): once a VCL NAL
 * unit (types 1, 2, 5) was seen, an AUD, SPS, PPS or SEI NAL unit, or a slice whose first_mb_in_slice is
 * not greater than the previous slice's, starts the next access unit. A {@code zero_byte} before a start
 * code goes with the following access unit. An access unit is a keyframe when it holds an IDR slice (type
 * 5) or a recovery point SEI message (payloadType 6), as in FFmpeg; the TS random_access_indicator is
 * ignored because it is set inconsistently by encoders, and a non-IDR I slice alone is not a safe start.
 *
 * <p>The format comes from the latest SPS (size after cropping, VUI frame rate, codec string
 * {@code avc1.PPCCLL} in lower-case hex) and the PPSs by id; codecConfig is [SPS, PPS...] without start
 * codes. Access units before the first SPS and PPS are dropped. See {@link StartCodeUnitReader} for
 * timestamps. Not thread-safe.
 */
final class H264Reader extends StartCodeUnitReader {
  private static final int NAL_SLICE = 1;
  private static final int NAL_DPA = 2;
  private static final int NAL_IDR = 5;
  private static final int NAL_SEI = 6;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;
  private static final int NAL_AUD = 9;
  private static final int SEI_RECOVERY_POINT = 6;
  private static final int MAX_PPS = 64;

  private boolean frameStartFound;
  private int lastFirstMb;

  private byte[] spsBytes;
  private H264Sps sps;
  private final Map<Integer, byte[]> ppsById = new TreeMap<>();
  private boolean configChanged;
  private TrackFormat built;

  H264Reader(EsInfo info) {
    this(info, null);
  }

  /** A reader whose access units are lent from {@code pool} (null: allocated). */
  H264Reader(EsInfo info, SampleBufferPool pool) {
    super(info, pool);
  }

  @Override
  int headerBytesNeeded() {
    return 5; // nal_unit_header (1) + first_mb_in_slice ue(v) within 4 bytes
  }

  @Override
  boolean beginsAccessUnit(byte[] data, int header, int available) {
    if (available < 1) {
      return false;
    }
    int type = data[header] & 0x1F;
    switch (type) {
      case NAL_SEI, NAL_SPS, NAL_PPS, NAL_AUD -> {
        return frameStartFound;
      }
      case NAL_SLICE, NAL_DPA, NAL_IDR -> {
        int firstMb = NalBits.readUe(data, header + 1, available - 1); // first_mb_in_slice
        if (firstMb < 0) {
          firstMb = 0;
        }
        int last = lastFirstMb;
        lastFirstMb = firstMb;
        if (frameStartFound) {
          return firstMb <= last;
        }
        frameStartFound = true;
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  @Override
  void resetScanState() {
    frameStartFound = false;
    lastFirstMb = -1;
  }

  @Override
  TrackFormat inspect(AccessUnit unit, TrackFormat current) {
    byte[] data = unit.data;
    for (int i = 0; i < unit.count; i++) {
      int header = unit.header(i);
      int end = unit.end(i);
      if (end <= header) {
        continue;
      }
      int type = data[header] & 0x1F;
      switch (type) {
        case NAL_IDR -> unit.keyframe = true;
        case NAL_SEI -> {
          if (hasRecoveryPoint(data, header, end - header)) {
            unit.keyframe = true;
          }
        }
        case NAL_SPS -> onSps(data, header, end - header);
        case NAL_PPS -> onPps(data, header, end - header);
        default -> { }
      }
    }
    if (configChanged) {
      configChanged = false;
      if (sps != null && !ppsById.isEmpty()) {
        List<ByteSlice> config = new ArrayList<>();
        config.add(ByteSlice.copyOf(spsBytes));
        for (byte[] pps : ppsById.values()) {
          config.add(ByteSlice.copyOf(pps));
        }
        built = TrackFormat.builder(info.pid(), Codec.H264)
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

  private void onSps(byte[] data, int offset, int length) {
    if (spsBytes != null && Arrays.equals(spsBytes, 0, spsBytes.length, data, offset, offset + length)) {
      return;
    }
    try {
      H264Sps parsed = H264Sps.parse(data, offset, length);
      if (!parsed.plausibleSize()) {
        return; // damaged: the previous SPS (if any) stays in force
      }
      sps = parsed;
      spsBytes = Arrays.copyOfRange(data, offset, offset + length);
      configChanged = true;
    } catch (MediaException e) {
      // A broken SPS is ignored; the previous one (if any) stays in force.
    }
  }

  private void onPps(byte[] data, int offset, int length) {
    int ppsId = NalBits.readUe(data, offset + 1, length - 1); // pic_parameter_set_id
    if (ppsId < 0 || ppsId > 255) {
      return;
    }
    byte[] known = ppsById.get(ppsId);
    if (known != null && Arrays.equals(known, 0, known.length, data, offset, offset + length)) {
      return;
    }
    if (known == null && ppsById.size() >= MAX_PPS) {
      return;
    }
    ppsById.put(ppsId, Arrays.copyOfRange(data, offset, offset + length));
    configChanged = true;
  }

  /** Whether an SEI NAL unit (H.264 §7.3.2.3) holds a recovery_point message (payloadType 6, §D.1.8). */
  static boolean hasRecoveryPoint(byte[] data, int offset, int length) {
    byte[] rbsp = EmulationPrevention.unescape(data, offset, Math.min(length, 4096));
    int position = 1; // after the NAL header
    while (position < rbsp.length) {
      int payloadType = 0;
      while (position < rbsp.length && (rbsp[position] & 0xFF) == 0xFF) { // ff_byte
        payloadType += 255;
        position++;
      }
      if (position >= rbsp.length) {
        return false;
      }
      payloadType += rbsp[position++] & 0xFF; // last_payload_type_byte
      int payloadSize = 0;
      while (position < rbsp.length && (rbsp[position] & 0xFF) == 0xFF) {
        payloadSize += 255;
        position++;
      }
      if (position >= rbsp.length) {
        return false;
      }
      payloadSize += rbsp[position++] & 0xFF; // last_payload_size_byte
      if (payloadType == SEI_RECOVERY_POINT) {
        return true;
      }
      position += payloadSize;
      if (position < rbsp.length && (rbsp[position] & 0xFF) == 0x80) {
        return false; // rbsp_trailing_bits
      }
    }
    return false;
  }
}
