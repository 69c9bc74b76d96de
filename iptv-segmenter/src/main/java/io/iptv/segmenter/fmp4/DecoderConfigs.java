package io.iptv.segmenter.fmp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.BitCursor;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.io.EmulationPrevention;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the decoder configuration boxes of the sample entries from a track's {@code codecConfig}:
 * {@code avcC} (AVCDecoderConfigurationRecord, ISO/IEC 14496-15 §5.3.3.1), {@code hvcC}
 * (HEVCDecoderConfigurationRecord, §8.3.3.1) and {@code esds} (ES_Descriptor, ISO/IEC 14496-1 §7.2.6.5 with
 * 14496-14 §5.6). NAL unit lengths in samples are always 4 bytes (lengthSizeMinusOne = 3). Stateless.
 */
final class DecoderConfigs {
  private static final int H264_NAL_SPS = 7;
  private static final int H264_NAL_PPS = 8;
  private static final int HEVC_NAL_VPS = 32;
  private static final int HEVC_NAL_SPS = 33;
  private static final int HEVC_NAL_PPS = 34;

  private DecoderConfigs() {}

  /** Writes {@code avcC} from [SPS..., PPS...] NAL units (no start codes). */
  static void writeAvcC(BoxWriter w, List<ByteSlice> nals) throws MediaException {
    List<ByteSlice> sps = new ArrayList<>();
    List<ByteSlice> pps = new ArrayList<>();
    for (ByteSlice nal : nals) {
      int type = nal.isEmpty() ? -1 : nal.byteAt(0) & 0x1F;
      if (type == H264_NAL_SPS) {
        sps.add(nal);
      } else if (type == H264_NAL_PPS) {
        pps.add(nal);
      }
    }
    if (sps.isEmpty() || pps.isEmpty() || sps.get(0).length() < 4) {
      throw MediaException.malformed("H.264 track without SPS and PPS: cannot write avcC");
    }
    ByteSlice first = sps.get(0);
    int profile = first.byteAt(1);
    w.start("avcC");
    w.u8(1); // configurationVersion (8)
    w.u8(profile); // AVCProfileIndication (8)
    w.u8(first.byteAt(2)); // profile_compatibility (8)
    w.u8(first.byteAt(3)); // AVCLevelIndication (8)
    w.u8(0xFC | 3); // reserved (6) '111111', lengthSizeMinusOne (2)
    w.u8(0xE0 | sps.size()); // reserved (3) '111', numOfSequenceParameterSets (5)
    for (ByteSlice s : sps) {
      w.u16(s.length()).bytes(s); // sequenceParameterSetLength (16), sequenceParameterSetNALUnit
    }
    w.u8(pps.size()); // numOfPictureParameterSets (8)
    for (ByteSlice p : pps) {
      w.u16(p.length()).bytes(p); // pictureParameterSetLength (16), pictureParameterSetNALUnit
    }
    if (profile == 100 || profile == 110 || profile == 122 || profile == 144) {
      int[] chroma = h264ChromaAndDepth(first);
      w.u8(0xFC | chroma[0]); // reserved (6), chroma_format (2)
      w.u8(0xF8 | chroma[1]); // reserved (5), bit_depth_luma_minus8 (3)
      w.u8(0xF8 | chroma[2]); // reserved (5), bit_depth_chroma_minus8 (3)
      w.u8(0); // numOfSequenceParameterSetExt (8)
    }
    w.end();
  }

  /** Writes {@code hvcC} from [VPS, SPS, PPS] NAL units (no start codes). */
  static void writeHvcC(BoxWriter w, List<ByteSlice> nals) throws MediaException {
    ByteSlice sps = null;
    List<List<ByteSlice>> arrays = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (ByteSlice nal : nals) {
      int type = nal.length() < 2 ? -1 : (nal.byteAt(0) >> 1) & 0x3F;
      if (type >= HEVC_NAL_VPS && type <= HEVC_NAL_PPS) {
        arrays.get(type - HEVC_NAL_VPS).add(nal);
        if (type == HEVC_NAL_SPS && sps == null) {
          sps = nal;
        }
      }
    }
    if (sps == null || arrays.get(0).isEmpty() || arrays.get(2).isEmpty()) {
      throw MediaException.malformed("HEVC track without VPS, SPS and PPS: cannot write hvcC");
    }
    byte[] rbsp = EmulationPrevention.unescape(sps.toByteArray(), 0, sps.length());
    BitCursor b = new BitCursor(rbsp);
    b.skipBits(16); // nal_unit_header (16)
    b.skipBits(4); // sps_video_parameter_set_id (4)
    int maxSubLayersMinus1 = b.readBits(3); // sps_max_sub_layers_minus1 (3)
    int temporalIdNesting = b.readBits(1); // sps_temporal_id_nesting_flag (1)
    if (rbsp.length < 15) {
      throw MediaException.malformed("HEVC SPS too short for profile_tier_level");
    }
    int[] chroma = h265ChromaAndDepth(b, maxSubLayersMinus1);
    w.start("hvcC");
    w.u8(1); // configurationVersion (8)
    // general_profile_space (2), general_tier_flag (1), general_profile_idc (5),
    // general_profile_compatibility_flags (32), general_constraint_indicator_flags (48), general_level_idc (8):
    // the 12 bytes of profile_tier_level() right after the first 3 bytes of the SPS RBSP.
    w.bytes(rbsp, 3, 12);
    w.u16(0xF000); // reserved (4) '1111', min_spatial_segmentation_idc (12) = 0
    w.u8(0xFC); // reserved (6), parallelismType (2) = 0 (unknown)
    w.u8(0xFC | chroma[0]); // reserved (6), chromaFormat (2)
    w.u8(0xF8 | chroma[1]); // reserved (5), bitDepthLumaMinus8 (3)
    w.u8(0xF8 | chroma[2]); // reserved (5), bitDepthChromaMinus8 (3)
    w.u16(0); // avgFrameRate (16) = 0 (unspecified)
    // constantFrameRate (2) = 0, numTemporalLayers (3), temporalIdNested (1), lengthSizeMinusOne (2) = 3
    w.u8((maxSubLayersMinus1 + 1) << 3 | temporalIdNesting << 2 | 3);
    w.u8(3); // numOfArrays (8)
    for (int i = 0; i < 3; i++) {
      List<ByteSlice> array = arrays.get(i);
      w.u8(0x80 | (HEVC_NAL_VPS + i)); // array_completeness (1) = 1, reserved (1), NAL_unit_type (6)
      w.u16(array.size()); // numNalus (16)
      for (ByteSlice nal : array) {
        w.u16(nal.length()).bytes(nal); // nalUnitLength (16), nalUnit
      }
    }
    w.end();
  }

  /** Writes {@code esds} for AAC with the AudioSpecificConfig {@code asc}. */
  static void writeEsds(BoxWriter w, ByteSlice asc, int trackId, long avgBitrate) {
    int decoderSpecific = 2 + asc.length();
    int decoderConfig = 2 + 13 + decoderSpecific;
    int slConfig = 2 + 1;
    int es = 3 + decoderConfig + slConfig;
    w.startFull("esds", 0, 0);
    w.u8(0x03).u8(es); // ES_DescrTag, sizeOfInstance (one byte: < 128)
    w.u16(trackId & 0xFFFF); // ES_ID (16)
    w.u8(0); // streamDependenceFlag, URL_Flag, OCRstreamFlag (1 each), streamPriority (5)
    w.u8(0x04).u8(decoderConfig - 2); // DecoderConfigDescrTag
    w.u8(0x40); // objectTypeIndication (8) = Audio ISO/IEC 14496-3
    w.u8(0x15); // streamType (6) = 5 audio, upStream (1) = 0, reserved (1) = 1
    w.u24(0); // bufferSizeDB (24)
    w.u32(avgBitrate); // maxBitrate (32)
    w.u32(avgBitrate); // avgBitrate (32)
    w.u8(0x05).u8(asc.length()).bytes(asc); // DecSpecificInfoTag: AudioSpecificConfig
    w.u8(0x06).u8(1).u8(0x02); // SLConfigDescrTag, predefined (8) = 2 (MP4)
    w.end();
  }

  /** chroma_format_idc, bit_depth_luma_minus8, bit_depth_chroma_minus8 of a high-profile H.264 SPS. */
  private static int[] h264ChromaAndDepth(ByteSlice sps) throws MediaException {
    byte[] rbsp = EmulationPrevention.unescape(sps.toByteArray(), 0, sps.length());
    BitCursor b = new BitCursor(rbsp);
    b.skipBits(32); // NAL header (8), profile_idc (8), constraint flags (8), level_idc (8)
    b.readUnsignedExpGolomb(); // seq_parameter_set_id
    int chroma = b.readUnsignedExpGolomb(); // chroma_format_idc
    if (chroma == 3) {
      b.skipBits(1); // separate_colour_plane_flag
    }
    int luma = b.readUnsignedExpGolomb(); // bit_depth_luma_minus8
    int chromaDepth = b.readUnsignedExpGolomb(); // bit_depth_chroma_minus8
    return new int[] {chroma & 3, luma & 7, chromaDepth & 7};
  }

  /** chroma_format_idc and bit depths from an HEVC SPS, {@code b} just after sps_temporal_id_nesting_flag. */
  private static int[] h265ChromaAndDepth(BitCursor b, int maxSubLayersMinus1) throws MediaException {
    b.skipBits(88); // general profile_tier_level fields up to general_level_idc
    b.skipBits(8); // general_level_idc (8)
    boolean[] profilePresent = new boolean[8];
    boolean[] levelPresent = new boolean[8];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = b.readBit(); // sub_layer_profile_present_flag[i]
      levelPresent[i] = b.readBit(); // sub_layer_level_present_flag[i]
    }
    if (maxSubLayersMinus1 > 0) {
      b.skipBits(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profilePresent[i]) {
        b.skipBits(88);
      }
      if (levelPresent[i]) {
        b.skipBits(8);
      }
    }
    b.readUnsignedExpGolomb(); // sps_seq_parameter_set_id
    int chroma = b.readUnsignedExpGolomb(); // chroma_format_idc
    if (chroma == 3) {
      b.skipBits(1); // separate_colour_plane_flag
    }
    b.readUnsignedExpGolomb(); // pic_width_in_luma_samples
    b.readUnsignedExpGolomb(); // pic_height_in_luma_samples
    if (b.readBit()) { // conformance_window_flag
      for (int i = 0; i < 4; i++) {
        b.readUnsignedExpGolomb(); // conf_win_*_offset
      }
    }
    int luma = b.readUnsignedExpGolomb(); // bit_depth_luma_minus8
    int chromaDepth = b.readUnsignedExpGolomb(); // bit_depth_chroma_minus8
    return new int[] {chroma & 3, luma & 7, chromaDepth & 7};
  }
}
