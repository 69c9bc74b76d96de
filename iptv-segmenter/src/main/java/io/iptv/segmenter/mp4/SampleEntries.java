package io.iptv.segmenter.mp4;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteCursor;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.es.SequenceParameterSets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first sample entry of an {@code stsd} box (ISO/IEC 14496-12 §8.5.2) into a {@link TrackSetup}:
 * {@code avc1/avc3} + {@code avcC} and {@code hvc1/hev1} + {@code hvcC} (ISO/IEC 14496-15 §5.3.3, §8.3.3),
 * {@code mp4a} + {@code esds} (ISO/IEC 14496-1 §7.2.6.5, 14496-14 §5.6), {@code ac-3} and {@code ec-3}
 * (ETSI TS 102 366 Annex F). Other sample entries are not supported (null). Stateless.
 */
final class SampleEntries {
  /** Bytes of a VisualSampleEntry before its child boxes (§12.1.3). */
  private static final int VISUAL_ENTRY_BYTES = 78;
  /** Bytes of an AudioSampleEntry before its child boxes (§12.2.3); QuickTime v1 adds 16, v2 adds 36. */
  private static final int AUDIO_ENTRY_BYTES = 28;
  private static final int TAG_ES = 0x03;
  private static final int TAG_DECODER_CONFIG = 0x04;
  private static final int TAG_DECODER_SPECIFIC = 0x05;

  private SampleEntries() {}

  /**
   * Parses {@code stsd}; returns null for codecs the library does not carry.
   *
   * @param base a builder with track id, language and fallback size already set
   * @param fallbackFrameRate frames per second from the sample table, used when the SPS has no timing info
   */
  static TrackSetup parse(byte[] data, BoxHeader stsd, TrackFormat.Builder base, double fallbackFrameRate)
      throws MediaException {
    List<BoxHeader> entries = Boxes.children(data, stsd, 8); // version/flags (32), entry_count (32)
    if (entries.isEmpty()) {
      throw MediaException.malformed("stsd has no sample entry");
    }
    BoxHeader entry = entries.get(0);
    switch (entry.typeName()) {
      case "avc1", "avc3":
        return avc(data, entry, base, fallbackFrameRate);
      case "hvc1", "hev1":
        return hevc(data, entry, base, fallbackFrameRate);
      case "mp4a":
        return mp4a(data, entry, base);
      case "ac-3":
        return audioPassthrough(data, entry, base.codec(Codec.AC3).codecString("ac-3"));
      case "ec-3":
        return audioPassthrough(data, entry, base.codec(Codec.EAC3).codecString("ec-3"));
      default:
        return null;
    }
  }

  private static TrackSetup avc(byte[] data, BoxHeader entry, TrackFormat.Builder base, double fallbackFrameRate)
      throws MediaException {
    BoxHeader avcC = Boxes.require(Boxes.children(data, entry, VISUAL_ENTRY_BYTES), "avcC", entry.typeName());
    ByteCursor c = Boxes.payload(data, avcC);
    c.skip(4); // configurationVersion, AVCProfileIndication, profile_compatibility, AVCLevelIndication
    int lengthSize = (c.readUnsignedByte() & 0x03) + 1; // reserved (6), lengthSizeMinusOne (2)
    List<ByteSlice> sps = readNalArray(c, c.readUnsignedByte() & 0x1F); // reserved (3), numOfSequenceParameterSets (5)
    List<ByteSlice> pps = readNalArray(c, c.readUnsignedByte()); // numOfPictureParameterSets (8)
    if (sps.isEmpty() || pps.isEmpty()) {
      throw MediaException.malformed("avcC without SPS or PPS");
    }
    SequenceParameterSets.Summary summary = SequenceParameterSets.parseH264(sps.get(0).toByteArray());
    List<ByteSlice> config = new ArrayList<>(sps);
    config.addAll(pps);
    TrackFormat format = base.codec(Codec.H264).codecString(summary.codecString())
        .width(summary.width()).height(summary.height())
        .frameRate(summary.frameRate() > 0 ? summary.frameRate() : fallbackFrameRate)
        .codecConfig(config).build();
    return new TrackSetup(format, new NalLengthToAnnexB(lengthSize));
  }

  private static TrackSetup hevc(byte[] data, BoxHeader entry, TrackFormat.Builder base, double fallbackFrameRate)
      throws MediaException {
    BoxHeader hvcC = Boxes.require(Boxes.children(data, entry, VISUAL_ENTRY_BYTES), "hvcC", entry.typeName());
    ByteCursor c = Boxes.payload(data, hvcC);
    // configurationVersion (8) .. avgFrameRate (16): 21 bytes, then
    // constantFrameRate (2), numTemporalLayers (3), temporalIdNested (1), lengthSizeMinusOne (2)
    c.skip(21);
    int lengthSize = (c.readUnsignedByte() & 0x03) + 1;
    int arrays = c.readUnsignedByte(); // numOfArrays (8)
    List<ByteSlice> vps = new ArrayList<>();
    List<ByteSlice> sps = new ArrayList<>();
    List<ByteSlice> pps = new ArrayList<>();
    for (int i = 0; i < arrays; i++) {
      int nalType = c.readUnsignedByte() & 0x3F; // array_completeness (1), reserved (1), NAL_unit_type (6)
      List<ByteSlice> nals = readNalArray(c, c.readUnsignedShort()); // numNalus (16)
      switch (nalType) {
        case 32 -> vps.addAll(nals);
        case 33 -> sps.addAll(nals);
        case 34 -> pps.addAll(nals);
        default -> { } // SEI and others stay out of the codec configuration
      }
    }
    if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
      throw MediaException.malformed("hvcC without VPS, SPS or PPS");
    }
    SequenceParameterSets.Summary summary = SequenceParameterSets.parseH265(sps.get(0).toByteArray());
    List<ByteSlice> config = new ArrayList<>(vps);
    config.addAll(sps);
    config.addAll(pps);
    // The parser names the codec "hvc1.…"; keep the sample entry's own four-character code.
    String codecString = entry.typeName() + summary.codecString().substring(4);
    TrackFormat format = base.codec(Codec.H265).codecString(codecString)
        .width(summary.width()).height(summary.height())
        .frameRate(summary.frameRate() > 0 ? summary.frameRate() : fallbackFrameRate)
        .codecConfig(config).build();
    return new TrackSetup(format, new NalLengthToAnnexB(lengthSize));
  }

  private static List<ByteSlice> readNalArray(ByteCursor c, int count) throws MediaException {
    List<ByteSlice> nals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = c.readUnsignedShort(); // nalUnitLength (16)
      if (length == 0) {
        throw MediaException.malformed("empty parameter set NAL unit");
      }
      nals.add(c.readSlice(length));
    }
    return nals;
  }

  private static TrackSetup mp4a(byte[] data, BoxHeader entry, TrackFormat.Builder base) throws MediaException {
    BoxHeader esds = Boxes.require(Boxes.children(data, entry, audioEntryBytes(data, entry)), "esds", "mp4a");
    ByteCursor c = Boxes.payload(data, esds);
    c.skip(4); // version (8), flags (24)
    expectDescriptor(c, TAG_ES);
    c.skip(2); // ES_ID (16)
    int flags = c.readUnsignedByte(); // streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority (5)
    if ((flags & 0x80) != 0) {
      c.skip(2); // dependsOn_ES_ID (16)
    }
    if ((flags & 0x40) != 0) {
      c.skip(c.readUnsignedByte()); // URLlength (8), URLstring
    }
    if ((flags & 0x20) != 0) {
      c.skip(2); // OCR_ES_Id (16)
    }
    expectDescriptor(c, TAG_DECODER_CONFIG);
    int objectType = c.readUnsignedByte(); // objectTypeIndication (8)
    c.skip(12); // streamType (6), upStream (1), reserved (1), bufferSizeDB (24), maxBitrate (32), avgBitrate (32)
    if (objectType == 0x69 || objectType == 0x6B) { // MPEG-2 / MPEG-1 audio layer III
      return audioPassthrough(data, entry, base.codec(Codec.MP3).codecString("mp4a.40.34"));
    }
    if (objectType != 0x40 && objectType != 0x66 && objectType != 0x67 && objectType != 0x68) {
      throw MediaException.unsupported(String.format("mp4a objectTypeIndication 0x%02x", objectType));
    }
    int length = expectDescriptor(c, TAG_DECODER_SPECIFIC);
    byte[] ascBytes = new byte[length];
    c.readBytes(ascBytes, 0, length);
    AudioSpecificConfig asc = AudioSpecificConfig.parse(ascBytes);
    TrackFormat format = base.codec(Codec.AAC).codecString("mp4a.40." + asc.audioObjectType())
        .sampleRate(asc.sampleRate()).channels(asc.channelCount())
        .codecConfig(List.of(ByteSlice.wrap(ascBytes))).build();
    return new TrackSetup(format, new AdtsFramer(asc));
  }

  /** Reads a descriptor tag (8) and its expandable size (ISO/IEC 14496-1 §8.3.3); returns the size. */
  private static int expectDescriptor(ByteCursor c, int tag) throws MediaException {
    int actual = c.readUnsignedByte();
    if (actual != tag) {
      throw MediaException.malformed(String.format("esds: expected descriptor tag 0x%02x, found 0x%02x", tag, actual));
    }
    int size = 0;
    for (int i = 0; i < 4; i++) {
      int b = c.readUnsignedByte(); // nextByte (1), sizeOfInstance (7)
      size = (size << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (size > c.bytesLeft()) {
      throw MediaException.malformed("esds: descriptor 0x" + Integer.toHexString(tag) + " overruns the box");
    }
    return size;
  }

  private static TrackSetup audioPassthrough(byte[] data, BoxHeader entry, TrackFormat.Builder builder)
      throws MediaException {
    ByteCursor c = Boxes.payload(data, entry);
    c.skip(16); // reserved (48), data_reference_index (16), reserved / QuickTime version, revision, vendor
    int channels = c.readUnsignedShort(); // channelcount (16)
    c.skip(6); // samplesize (16), pre_defined (16), reserved (16)
    int sampleRate = (int) (c.readUnsignedInt() >>> 16); // samplerate (16.16)
    return new TrackSetup(builder.channels(channels).sampleRate(sampleRate).build(), PayloadConverter.PASSTHROUGH);
  }

  private static int audioEntryBytes(byte[] data, BoxHeader entry) throws MediaException {
    ByteCursor c = Boxes.payload(data, entry);
    c.skip(8);
    int version = c.readUnsignedShort(); // QuickTime sound description version (0 in ISO files)
    return switch (version) {
      case 0 -> AUDIO_ENTRY_BYTES;
      case 1 -> AUDIO_ENTRY_BYTES + 16;
      case 2 -> AUDIO_ENTRY_BYTES + 36;
      default -> throw MediaException.unsupported("audio sample entry version " + version);
    };
  }
}
