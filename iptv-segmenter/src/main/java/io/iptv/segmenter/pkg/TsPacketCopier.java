package io.iptv.segmenter.pkg;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.Emitter;
import io.iptv.core.time.PtsUnwrapper;
import io.iptv.core.time.Timestamps;
import io.iptv.segmenter.chunk.Chunk;
import io.iptv.segmenter.es.ElementaryStreamReader;
import io.iptv.segmenter.es.ElementaryStreamReaders;
import io.iptv.segmenter.es.EsInfo;
import io.iptv.segmenter.ts.SegmentBufferPool;
import io.iptv.segmenter.ts.StreamType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Packages an MPEG-TS file into TS segments by copying its packets instead of demuxing and re-muxing them, for
 * input that already is what the muxer would write: the packet-copy path of {@link HlsFilePackager}. The decisions
 * stay the full path's: this class reads only the PES headers
 * and the first bytes of each video access unit (its NAL unit types and parameter sets, through the same
 * elementary-stream readers), emits one payload-less {@link MediaSample} per video PES and the real audio samples,
 * and {@link HlsPackager} cuts them with its own chunker, gap filler and jump detector. A segment is then the
 * source's packets from its first video PES to the next segment's, prefixed with the source's last PAT and PMT, with
 * the tail of an audio PES that straddles a cut moved to the segment where the PES began (so every segment holds
 * whole PES packets, ISO/IEC 13818-1 §2.4.3.6).
 *
 * <p><b>What qualifies</b> (anything else throws {@link NotCopyable}, and the caller packages the file the full
 * way): whole 188-byte packets with sync bytes, no transport errors, no scrambling, no continuity-counter gaps or
 * discontinuity indicators; one program whose PAT and PMT never change; one H.264 or HEVC video stream and at
 * most one audio stream (AAC, AC-3, E-AC-3, MPEG audio) and nothing else in the PMT; every video PES starts an
 * access unit with an access unit delimiter and has a PTS; every keyframe carries its parameter sets, which never
 * change; the first video PES is a keyframe; timestamps increase without jumps. The muxer would rewrite none of
 * this ({@code AccessUnitRewriter} inserts AUDs and parameter sets only where missing), so the copy is what a
 * player would decode from a re-mux. Packets of other PIDs (SI tables, null packets) are copied as they are.
 *
 * <p>Memory: the file is read in 1 MiB chunks and its packets are not kept (segments are copied from the file by the
 * sink, see {@link Plan#regions}); per video PES 8 bytes of offset. Not
 * thread-safe: {@link #feed}, {@link #plan} and {@link #bytes} run on the packaging thread; the regions a plan
 * names may be read on any thread while the copier is open. A failure to read the file is an
 * {@link java.io.UncheckedIOException}.
 *
 * <pre>{@code
 * try (TsPacketCopier copier = TsPacketCopier.open(path)) {
 *   packager = HlsPackager.builder()....packetCopier(copier).build(sink);
 *   copier.feed(packager);   // EndOfStream last; the packager asks copier.plan(chunk) for each segment
 * }
 * }</pre>
 */
final class TsPacketCopier implements AutoCloseable {
  static final int PACKET = 188;
  /** Codecs whose streams are copied: those the muxer writes as they come (anything else is muxed). */
  private static final java.util.Set<Codec> COPYABLE = java.util.EnumSet.of(Codec.H264, Codec.H265, Codec.AAC,
      Codec.AC3, Codec.EAC3, Codec.MPEG_AUDIO);
  /** Bytes read per call while scanning: a whole number of packets (about 1 MiB). */
  private static final int SCAN_BYTES = PACKET * 5577;
  /** Bytes read per call for the packets around a cut: a whole number of packets (about 64 KiB). */
  private static final int BLOCK_BYTES = PACKET * 348;
  /** Most bytes of a video PES read to find its first slice (AUD, parameter sets, SEI before it). */
  private static final int MAX_PREFIX = 64 << 10;
  /** Bytes of the first slice NAL unit given to the reader (it reads the slice header's first_mb_in_slice). */
  private static final int SLICE_BYTES = 32;
  /** Largest audio PES reassembled. */
  private static final int MAX_AUDIO_PES = 1 << 20;
  /** Largest step between consecutive timestamps of a track (else the timeline jumped: a discontinuity). */
  private static final long MAX_STEP_90K = 5 * Timestamps.TICKS_PER_SECOND;
  /** Most packets looked back from a cut for the last PAT and PMT. */
  private static final long MAX_PSI_LOOKBACK = 1 << 20;

  private final FileChannel channel;
  /** A block of the file around the packets last looked at near a cut (see {@link #u8}). */
  private final byte[] block = new byte[BLOCK_BYTES];
  private long blockStart = -1;
  private int blockLength;
  private final long packets;

  // program, from the first PAT and PMT
  private byte[] pat;
  private byte[] pmt;
  private int pmtPid = -1;
  private int videoPid = -1;
  private int audioPid = -1;
  private Codec videoCodec;
  private Codec audioCodec;

  // video PES starts (packet index), in order; the samples emitted for them
  private long[] pesStart = new long[4096];
  private int pesCount;
  private final Map<MediaSample, Integer> pesOfSample = new IdentityHashMap<>();
  /** Whether the scan reached the end of the file (the last segment ends there). */
  private boolean scanned;
  /** Packet after the file's last audio packet; -1 until found. */
  private long audioEnd = -1;
  /** The last answer of firstAudioPesAt: no audio PES starts in [lastAudioFrom, lastAudioPes). */
  private long lastAudioFrom = -1;
  private long lastAudioPes = -1;

  private TsPacketCopier(FileChannel channel, long packets) {
    this.channel = channel;
    this.packets = packets;
  }

  /** Maps {@code input}; throws {@link NotCopyable} unless it is whole packets starting with a sync byte. */
  static TsPacketCopier open(Path input) throws IOException {
    FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < PACKET || size % PACKET != 0) {
        throw new NotCopyable("not whole 188-byte packets (" + size + " bytes)");
      }
      TsPacketCopier copier = new TsPacketCopier(channel, size / PACKET);
      channel = null;
      return copier;
    } finally {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** The input file, for {@link Plan#regions}; open until {@link #close}. */
  FileChannel channel() {
    return channel;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The byte at {@code offset}, from a block read around it (cuts look at a few packets near each other). */
  private int u8(long offset) {
    if (offset < blockStart || offset >= blockStart + blockLength) {
      blockStart = offset / BLOCK_BYTES * BLOCK_BYTES;
      blockLength = (int) Math.min(BLOCK_BYTES, packets * PACKET - blockStart);
      readFully(blockStart, ByteBuffer.wrap(block, 0, blockLength));
    }
    return block[(int) (offset - blockStart)] & 0xFF;
  }

  private void copy(long offset, byte[] dst, int at, int length) {
    readFully(offset, ByteBuffer.wrap(dst, at, length));
  }

  /** Fills {@code into} from {@code offset} (positional reads: the channel's position is not used). */
  private void readFully(long offset, ByteBuffer into) {
    try {
      offset = FileRegions.readFully(channel, offset, into);
      if (into.hasRemaining()) {
        throw new java.io.EOFException("the file ends at " + offset);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the input at " + offset + ": " + e.getMessage(), e);
    }
  }

  /**
   * Scans the whole file and emits its events to {@code out}: {@code TrackAdded} per track before its first
   * sample, one payload-less sample per video PES, the audio samples, {@code EndOfStream}.
   */
  void feed(Emitter out) throws MediaException {
    Scan scan = new Scan(out);
    ByteBuffer chunk = ByteBuffer.allocateDirect(SCAN_BYTES);
    long index = 0;
    for (long offset = 0; offset < packets * PACKET; offset += SCAN_BYTES) {
      chunk.clear().limit((int) Math.min(SCAN_BYTES, packets * PACKET - offset));
      readFully(offset, chunk);
      int limit = chunk.limit();
      for (int at = 0; at < limit; at += PACKET) {
        scan.packet(chunk, at, index++);
      }
    }
    scan.finish();
  }

  /** The index of the video PES {@code sample} was emitted for (once); NotCopyable if it is not one of ours. */
  private int pesOf(MediaSample sample) {
    Integer pes = pesOfSample.remove(sample);
    if (pes == null) {
      throw new NotCopyable("a video sample the copier did not emit");
    }
    return pes;
  }

  /**
   * The layout of {@code chunk}'s segment: the packets from its first video PES to the next chunk's (the first
   * chunk from the start of the file, the last to its end), after the source's last PAT and PMT before it; the
   * tail of an audio PES begun before the start belongs to the previous segment and is left out, the tail of one
   * begun before the end is appended. Only the few packets around the two cuts are read here.
   */
  Plan plan(Chunk chunk) {
    int first = -1;
    int last = -1;
    for (MediaSample s : chunk.samples()) {
      if (s.trackId() == videoPid) {
        int pes = pesOf(s);
        if (first < 0) {
          first = pes;
        } else if (pes != last + 1) {
          throw new NotCopyable("video PES " + pes + " after " + last + " in one segment");
        }
        last = pes;
      }
    }
    if (first < 0) {
      throw new NotCopyable("a segment without video");
    }
    if (last + 1 >= pesCount && !scanned) {
      // not expected (the chunker cuts at a keyframe it has seen); the full path does not depend on it
      throw new NotCopyable("segment " + chunk.sequence() + " cut before the next video PES was read");
    }
    long start = first == 0 ? 0 : pesStart[first];
    long end = last + 1 < pesCount ? pesStart[last + 1] : packets;
    long[] psi = start == 0 ? new long[0] : lastPsiBefore(start);
    long headTailEnd = start == 0 ? start : firstAudioPesAt(start); // [start, headTailEnd): previous PES's tail
    long tailEnd = end == packets ? end : firstAudioPesAt(end);       // [end, tailEnd): this PES's tail
    java.util.List<SegmentSink.FileRegion> regions = new java.util.ArrayList<>();
    for (long p : psi) {
      addRegion(regions, p, p + 1);
    }
    addPackets(regions, start, headTailEnd, false);
    addRegion(regions, headTailEnd, end);
    addPackets(regions, end, tailEnd, true);
    long length = 0;
    for (SegmentSink.FileRegion r : regions) {
      length += r.length();
    }
    if (length > Integer.MAX_VALUE - 64) {
      throw new NotCopyable("a segment over 2 GB");
    }
    return new Plan(java.util.List.copyOf(regions), (int) length);
  }

  /**
   * Where one segment's packets are in the file, as regions of it (runs of adjacent packets merged), for a sink
   * that copies them without the heap ({@link SegmentSink#write(String, FileChannel, java.util.List)}); or
   * {@link #bytes} for a segment transform that needs them in an array.
   *
   * @param regions the segment's bytes, in order
   * @param length their total length
   */
  record Plan(java.util.List<SegmentSink.FileRegion> regions, int length) {}

  /** The segment of {@code plan} in an array from {@code buffers} (lent from it) unless null. */
  ByteSlice bytes(Plan plan, SegmentBufferPool buffers) {
    byte[] bytes = buffers != null ? buffers.take(plan.length(), plan.length()) : new byte[plan.length()];
    int at = 0;
    for (SegmentSink.FileRegion r : plan.regions()) {
      copy(r.offset(), bytes, at, (int) r.length());
      at += (int) r.length();
    }
    return buffers != null ? buffers.lend(bytes, plan.length()) : ByteSlice.wrap(bytes);
  }

  /** Appends the packets of {@code [from, to)} that are audio ({@code audio}) or are not ({@code !audio}). */
  private void addPackets(java.util.List<SegmentSink.FileRegion> regions, long from, long to, boolean audio) {
    for (long p = from; p < to; p++) {
      if ((pid(p) == audioPid) == audio) {
        addRegion(regions, p, p + 1);
      }
    }
  }

  /** Appends packets {@code [from, to)}, extending the last region when they follow it. */
  private static void addRegion(java.util.List<SegmentSink.FileRegion> regions, long from, long to) {
    FileRegions.append(regions, from * PACKET, (to - from) * PACKET);
  }

  private int pid(long packet) {
    long o = packet * PACKET;
    return ((u8(o + 1) & 0x1F) << 8) | u8(o + 2);
  }

  private boolean unitStart(long packet) {
    return (u8(packet * PACKET + 1) & 0x40) != 0;
  }

  /**
   * The first packet at or after {@code from} that starts an audio PES, or the packet after the file's last audio
   * packet (so that the tail of the last PES is found, and nothing past it is scanned). Successive calls move
   * forward (each cut is after the previous one), and the last answer is remembered, so all calls together read
   * each packet about once.
   */
  private long firstAudioPesAt(long from) {
    if (audioPid < 0) {
      return from;
    }
    if (audioEnd < 0) {
      long p = packets - 1;
      while (p >= 0 && pid(p) != audioPid) {
        p--;
      }
      audioEnd = p + 1;
    }
    if (from >= audioEnd) {
      return from;
    }
    if (from >= lastAudioFrom && from <= lastAudioPes) {
      return lastAudioPes; // no audio PES starts in [lastAudioFrom, lastAudioPes)
    }
    long p = from;
    while (p < audioEnd && !(pid(p) == audioPid && unitStart(p))) {
      p++;
    }
    lastAudioFrom = from;
    lastAudioPes = p;
    return p;
  }

  private long[] lastPsiBefore(long start) {
    long patAt = -1;
    long pmtAt = -1;
    for (long p = start - 1; p >= 0 && start - p <= MAX_PSI_LOOKBACK && (patAt < 0 || pmtAt < 0); p--) {
      int pid = pid(p);
      if (pid == 0 && patAt < 0) {
        patAt = p;
      } else if (pid == pmtPid && pmtAt < 0) {
        pmtAt = p;
      }
    }
    if (patAt < 0 || pmtAt < 0) {
      throw new NotCopyable("no PAT and PMT in the " + MAX_PSI_LOOKBACK + " packets before packet " + start);
    }
    return new long[] {patAt, pmtAt};
  }

  /** One pass over the packets: checks, PSI, video PES prefixes, audio PES reassembly. */
  private final class Scan {
    private final Emitter out;
    private final int[] lastCc = new int[8192];
    private final PtsUnwrapper clock = new PtsUnwrapper();
    private final byte[] packet = new byte[PACKET];
    // video
    private ElementaryStreamReader video;
    private TrackFormat videoFormat;
    private final byte[] prefix = new byte[MAX_PREFIX];
    private int prefixLength;
    private boolean prefixDone = true;
    private long pesPts90k;
    private long pesDts90k;
    private long lastVideoDts90k = Timestamps.NO_TIMESTAMP;
    private final Emitter videoOut = this::onVideoEvent;
    /** Parameter-set NAL types before the first slice of the unit the reader holds (emitted when the next begins). */
    private int heldMask;
    private long heldDts90k;
    /** The video PES the next sample from the reader belongs to. */
    private int nextSamplePes;
    /** Whether the reader is being flushed at the end (it then emits the last PES's unit). */
    private boolean finishing;
    // audio
    private ElementaryStreamReader audio;
    private TrackFormat audioFormat;
    private byte[] audioPes = new byte[64 << 10];
    private int audioLength = -1;
    private long lastAudioPts90k = Timestamps.NO_TIMESTAMP;
    private final Emitter audioOut = this::onAudioEvent;
    /** Timestamps of the audio PES being reassembled. */
    private long audioPts90k;
    private long audioDts90k;

    Scan(Emitter out) {
      this.out = out;
      Arrays.fill(lastCc, -1);
    }

    /** The packet at {@code at} of {@code window} (a chunk of the file), the {@code index}th of the file. */
    void packet(ByteBuffer window, int at, long index) throws MediaException {
      int header = window.getInt(at);
      if (header >>> 24 != 0x47) {
        throw new NotCopyable("no sync byte at packet " + index);
      }
      if ((header & 0x800000) != 0) {
        throw new NotCopyable("transport error indicator at packet " + index);
      }
      int pid = (header >> 8) & 0x1FFF;
      if (pid == 0x1FFF) {
        return;
      }
      if ((header & 0xC0) != 0) {
        throw new NotCopyable("scrambled packet " + index);
      }
      int control = (header >> 4) & 3;
      if (control == 0) {
        throw new NotCopyable("reserved adaptation_field_control at packet " + index);
      }
      int cc = header & 0x0F;
      int expected = lastCc[pid] < 0 ? cc : (control & 1) != 0 ? (lastCc[pid] + 1) & 0xF : lastCc[pid];
      if (cc != expected) {
        throw new NotCopyable("continuity counter " + cc + " where " + expected + " was due, PID " + pid
            + ", packet " + index);
      }
      lastCc[pid] = cc;
      int payload = 4;
      if ((control & 2) != 0) {
        int afLength = window.get(at + 4) & 0xFF;
        if (afLength > 183) {
          throw new NotCopyable("adaptation field overruns packet " + index);
        }
        if (afLength > 0 && (window.get(at + 5) & 0x80) != 0) {
          throw new NotCopyable("discontinuity indicator at packet " + index);
        }
        payload = 5 + afLength;
      }
      if ((control & 1) == 0) {
        return;
      }
      boolean start = (header & 0x400000) != 0;
      if (pid == videoPid && !start && prefixDone) {
        if (pesCount == 0) {
          throw new NotCopyable("video before its first PES, packet " + index);
        }
        return; // the bulk of the file: the middle of a video access unit, copied later as it is
      }
      window.get(at, packet, 0, PACKET);
      byte[] b = packet;
      if (pid == 0) {
        pat = section(b, payload, start, pat, "PAT", index);
        if (pmtPid < 0 && pat != null) {
          readPat();
        }
      } else if (pid == pmtPid) {
        pmt = section(b, payload, start, pmt, "PMT", index);
        if (videoPid < 0 && pmt != null) {
          readPmt();
        }
      } else if (pid == videoPid) {
        onVideo(index, b, payload, start);
      } else if (pid == audioPid) {
        onAudio(index, b, payload, start);
      } else if (pid >= 0x20 && videoPid < 0) {
        throw new NotCopyable("PID " + pid + " before the PMT, packet " + index);
      }
    }

    void finish() throws MediaException {
      if (videoPid < 0) {
        throw new NotCopyable("no PMT with video");
      }
      endVideoPes();
      finishing = true;
      video.flush(videoOut);
      if (nextSamplePes != pesCount) {
        throw new NotCopyable(pesCount + " video PES but " + nextSamplePes + " access units");
      }
      endAudioPes();
      if (audio != null) {
        audio.flush(audioOut);
      }
      scanned = true;
      out.emit(new StreamEvent.EndOfStream());
    }

    /** The section starting in this packet; the same bytes as {@code first} every time after the first. */
    private byte[] section(byte[] b, int payload, boolean start, byte[] first, String what, long index) {
      if (!start) {
        throw new NotCopyable(what + " section spanning packets at " + index);
      }
      int at = payload + 1 + (b[payload] & 0xFF);
      if (at + 3 > PACKET) {
        throw new NotCopyable(what + " pointer_field overruns packet " + index);
      }
      int end = at + 3 + (((b[at + 1] & 0x0F) << 8) | (b[at + 2] & 0xFF));
      if (end > PACKET) {
        throw new NotCopyable(what + " section spanning packets at " + index);
      }
      for (int i = end; i < PACKET; i++) {
        if (b[i] != (byte) 0xFF) {
          throw new NotCopyable("a second section after the " + what + " at packet " + index);
        }
      }
      byte[] section = Arrays.copyOfRange(b, at, end);
      if (first != null && !Arrays.equals(first, section)) {
        throw new NotCopyable(what + " changes at packet " + index);
      }
      return section;
    }

    private void readPat() {
      byte[] s = pat;
      if (s[0] != 0 || s.length < 12) {
        throw new NotCopyable("not a PAT on PID 0");
      }
      int programs = 0;
      for (int i = 8; i + 4 <= s.length - 4; i += 4) {
        int program = ((s[i] & 0xFF) << 8) | (s[i + 1] & 0xFF);
        if (program != 0) {
          programs++;
          pmtPid = ((s[i + 2] & 0x1F) << 8) | (s[i + 3] & 0xFF);
        }
      }
      if (programs != 1) {
        throw new NotCopyable(programs + " programs");
      }
    }

    private void readPmt() {
      byte[] s = pmt;
      if (s[0] != 2 || s.length < 16) {
        throw new NotCopyable("not a PMT on PID " + pmtPid);
      }
      int programNumber = ((s[3] & 0xFF) << 8) | (s[4] & 0xFF);
      int at0 = 12 + (((s[10] & 0x0F) << 8) | (s[11] & 0xFF)); // after program_info
      int at = at0;
      while (at + 5 <= s.length - 4) {
        int type = s[at] & 0xFF;
        int pid = ((s[at + 1] & 0x1F) << 8) | (s[at + 2] & 0xFF);
        int infoLength = ((s[at + 3] & 0x0F) << 8) | (s[at + 4] & 0xFF);
        ByteSlice descriptors = ByteSlice.copyOf(s, at + 5, infoLength);
        // the demuxer's rule; private PES streams (DVB AC-3, teletext, subtitles) are left to the muxer
        Codec codec = type == StreamType.STREAM_TYPE_PRIVATE_PES ? Codec.UNKNOWN
            : StreamType.codecOf(type, descriptors, ByteSlice.copyOf(s, 12, at0 - 12));
        if (!COPYABLE.contains(codec)) {
          throw new NotCopyable("stream type 0x" + Integer.toHexString(type) + " (" + codec + ") on PID " + pid);
        }
        EsInfo info = new EsInfo(programNumber, pid, type, codec, language(s, at + 5, infoLength), descriptors);
        if (codec.type() == io.iptv.core.media.TrackType.VIDEO) {
          if (videoPid >= 0) {
            throw new NotCopyable("two video streams");
          }
          videoPid = pid;
          videoCodec = codec;
          video = ElementaryStreamReaders.create(info, clock);
        } else {
          if (audioPid >= 0) {
            throw new NotCopyable("two audio streams");
          }
          audioPid = pid;
          audioCodec = codec;
          audio = ElementaryStreamReaders.create(info, clock);
        }
        at += 5 + infoLength;
      }
      if (videoPid < 0) {
        throw new NotCopyable("no video stream");
      }
    }

    /** ISO 639 language of an ES_info loop (descriptor 0x0A), or null. */
    private static String language(byte[] s, int at, int length) {
      int end = at + length;
      while (at + 2 <= end) {
        int tag = s[at] & 0xFF;
        int len = s[at + 1] & 0xFF;
        if (tag == 0x0A && len >= 3 && at + 5 <= end) {
          return new String(s, at + 2, 3, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        at += 2 + len;
      }
      return null;
    }

    // ---- video

    private void onVideo(long index, byte[] b, int payload, boolean start) throws MediaException {
      if (start) {
        endVideoPes();
        if (pesCount == pesStart.length) {
          pesStart = Arrays.copyOf(pesStart, pesCount * 2);
        }
        pesStart[pesCount++] = index;
        int es = pesHeader(b, payload, index, true);
        prefixLength = 0;
        prefixDone = false;
        appendPrefix(b, es, PACKET - es, index);
      } else if (!prefixDone) {
        appendPrefix(b, payload, PACKET - payload, index);
      }
    }

    /** Parses the PES header at {@code at}; sets pesPts90k/pesDts90k; returns the payload offset. */
    private int pesHeader(byte[] b, int at, long index, boolean needPts) {
      if (at + 9 > PACKET || b[at] != 0 || b[at + 1] != 0 || b[at + 2] != 1) {
        throw new NotCopyable("no PES header at packet " + index);
      }
      int flags = b[at + 7] & 0xFF;
      int es = at + 9 + (b[at + 8] & 0xFF);
      if (es > PACKET) {
        throw new NotCopyable("PES header spanning packets at " + index);
      }
      pesPts90k = Timestamps.NO_TIMESTAMP;
      pesDts90k = Timestamps.NO_TIMESTAMP;
      if ((flags & 0x80) != 0) {
        long pts33 = timestamp(b, at + 9);
        long dts33 = (flags & 0x40) != 0 ? timestamp(b, at + 14) : pts33;
        pesDts90k = clock.unwrap(dts33);
        pesPts90k = (flags & 0x40) != 0 ? clock.nearest(pts33) : pesDts90k;
      } else if (needPts) {
        throw new NotCopyable("video PES without PTS at packet " + index);
      }
      return es;
    }

    private static long timestamp(byte[] b, int at) {
      return ((long) (b[at] & 0x0E) << 29) | ((b[at + 1] & 0xFF) << 22) | ((b[at + 2] & 0xFE) << 14)
          | ((b[at + 3] & 0xFF) << 7) | ((b[at + 4] & 0xFF) >> 1);
    }

    private void appendPrefix(byte[] b, int from, int length, long index) throws MediaException {
      int n = Math.min(length, MAX_PREFIX - prefixLength);
      System.arraycopy(b, from, prefix, prefixLength, n);
      prefixLength += n;
      int slice = firstSlice();
      if (slice >= 0 && prefixLength >= slice + SLICE_BYTES) {
        inspectPrefix(Math.min(prefixLength, slice + SLICE_BYTES), slice);
      } else if (prefixLength == MAX_PREFIX) {
        throw new NotCopyable("no slice in the first " + MAX_PREFIX + " bytes of the video PES at packet " + index);
      }
    }

    private void endVideoPes() throws MediaException {
      if (!prefixDone) {
        int slice = firstSlice();
        if (slice < 0) {
          throw new NotCopyable("a video PES without a slice (PES " + (pesCount - 1) + ")");
        }
        inspectPrefix(prefixLength, slice);
      }
    }

    /** Index of the first VCL NAL unit's header in the prefix, or -1. */
    private int firstSlice() {
      for (int i = 0; i + 3 < prefixLength; i++) {
        if (prefix[i] == 0 && prefix[i + 1] == 0 && prefix[i + 2] == 1) {
          if (isSlice(nalType(i + 3))) {
            return i + 3;
          }
          i += 2;
        }
      }
      return -1;
    }

    private int nalType(int header) {
      return videoCodec == Codec.H264 ? prefix[header] & 0x1F : (prefix[header] >> 1) & 0x3F;
    }

    private boolean isSlice(int type) {
      return videoCodec == Codec.H264 ? type >= 1 && type <= 5 : type <= 31;
    }

    /**
     * Checks what the muxer would otherwise rewrite (AUD first; parameter sets in keyframes, checked once the
     * reader has classified the unit) and hands the prefix to the reader, which emits the previous unit.
     */
    private void inspectPrefix(int length, int slice) throws MediaException {
      prefixDone = true;
      int first = -1;
      for (int i = 0; i + 3 < length; i++) {
        if (prefix[i] == 0 && prefix[i + 1] == 0 && prefix[i + 2] == 1) {
          first = i + 3;
          break;
        }
        if (prefix[i] != 0) {
          break;
        }
      }
      int aud = videoCodec == Codec.H264 ? 9 : 35;
      if (first < 0 || nalType(first) != aud) {
        throw new NotCopyable("a video PES that does not start with an access unit delimiter (PES "
            + (pesCount - 1) + ")");
      }
      long dts = pesDts90k;
      if (lastVideoDts90k != Timestamps.NO_TIMESTAMP && (dts <= lastVideoDts90k || dts - lastVideoDts90k > MAX_STEP_90K)) {
        throw new NotCopyable("video DTS steps from " + lastVideoDts90k + " to " + dts);
      }
      lastVideoDts90k = dts;
      int mask = parameterSetMask(slice);
      video.consume(prefix, 0, length, pesPts90k, pesDts90k, false, videoOut); // emits the previous PES's unit
      heldMask = mask;
      heldDts90k = dts;
    }


    /** Bits of the parameter-set NAL types before {@code slice}: H.264 SPS 7, PPS 8; HEVC VPS, SPS, PPS as 0..2. */
    private int parameterSetMask(int slice) {
      int mask = 0;
      for (int i = 0; i + 3 < slice; i++) {
        if (prefix[i] == 0 && prefix[i + 1] == 0 && prefix[i + 2] == 1) {
          int type = nalType(i + 3);
          if (videoCodec == Codec.H264 && (type == 7 || type == 8)) {
            mask |= 1 << type;
          } else if (videoCodec == Codec.H265 && type >= 32 && type <= 34) {
            mask |= 1 << (type - 32);
          }
          i += 2;
        }
      }
      return mask;
    }

    private void onVideoEvent(StreamEvent event) throws MediaException {
      if (!(event instanceof MediaSample sample)) {
        out.emit(event);
        return;
      }
      videoFormat = announce(videoFormat, video.format(), sample);
      int pes = nextSamplePes++;
      // one unit per PES: the reader emits PES n's unit while it reads PES n + 1 (or at the end)
      if (pes != (prefixDone && !finishing ? pesCount - 2 : pesCount - 1) || sample.dts90k() != heldDts90k) {
        throw new NotCopyable("video PES " + pes + " is not one access unit");
      }
      if (pes == 0 && !sample.keyframe()) {
        throw new NotCopyable("the first video PES is not a keyframe");
      }
      int needed = videoCodec == Codec.H264 ? (1 << 7) | (1 << 8) : 0b111;
      if (sample.keyframe() && (heldMask & needed) != needed) {
        throw new NotCopyable("a keyframe without its parameter sets (video PES " + pes + ")");
      }
      MediaSample light = new MediaSample(sample.trackId(), sample.pts90k(), sample.dts90k(), sample.keyframe(),
          ByteSlice.empty());
      pesOfSample.put(light, pes);
      out.emit(light);
    }

    /**
     * Emits {@code TrackAdded} before a track's first sample; after that the format must stay {@code announced}
     * (a change is a new init for the muxer: not copied).
     */
    private TrackFormat announce(TrackFormat announced, TrackFormat format, MediaSample sample) throws MediaException {
      if (announced == null) {
        out.emit(new StreamEvent.TrackAdded(format));
        return format;
      }
      if (!announced.equals(format)) {
        throw new NotCopyable("the format of track " + sample.trackId() + " changes at " + sample.pts90k());
      }
      return announced;
    }

    // ---- audio

    private void onAudio(long index, byte[] b, int payload, boolean start) throws MediaException {
      if (start) {
        endAudioPes();
        int es = pesHeader(b, payload, index, false);
        audioPts90k = pesPts90k;
        audioDts90k = pesDts90k;
        audioLength = 0;
        payload = es;
      } else if (audioLength < 0) {
        return; // the tail of a PES begun before the file: the full path drops it too
      }
      int n = PACKET - payload;
      if (audioLength + n > MAX_AUDIO_PES) {
        throw new NotCopyable("an audio PES over " + MAX_AUDIO_PES + " bytes at packet " + index);
      }
      if (audioLength + n > audioPes.length) {
        audioPes = Arrays.copyOf(audioPes, Math.max(audioPes.length * 2, audioLength + n));
      }
      System.arraycopy(b, payload, audioPes, audioLength, n);
      audioLength += n;
    }

    private void endAudioPes() throws MediaException {
      if (audioLength > 0) {
        audio.consume(audioPes, 0, audioLength, audioPts90k, audioDts90k, false, audioOut);
      }
      audioLength = -1;
    }

    private void onAudioEvent(StreamEvent event) throws MediaException {
      if (!(event instanceof MediaSample sample)) {
        out.emit(event);
        return;
      }
      audioFormat = announce(audioFormat, audio.format(), sample);
      if (lastAudioPts90k != Timestamps.NO_TIMESTAMP && (sample.pts90k() < lastAudioPts90k
          || sample.pts90k() - lastAudioPts90k > MAX_STEP_90K)) {
        throw new NotCopyable("audio PTS steps from " + lastAudioPts90k + " to " + sample.pts90k());
      }
      lastAudioPts90k = sample.pts90k();
      out.emit(sample);
    }
  }
}
