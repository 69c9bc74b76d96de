package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test-only helpers for the muxer tests: elementary-stream fixture splitters (Annex B, ADTS, AC-3, MPEG
 * audio), a minimal transport-packet and PES parser to inspect muxer output, and an ffmpeg/ffprobe runner.
 */
final class MuxTestSupport {
  private MuxTestSupport() {}

  // ---------------------------------------------------------------- fixtures

  static byte[] resource(String name) {
    try (InputStream in = MuxTestSupport.class.getResourceAsStream("/es/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /es/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits an Annex B stream into access units (first_mb_in_slice / first_slice_segment_in_pic_flag). */
  static List<MediaSample> annexBSamples(byte[] es, boolean hevc, int trackId, long firstPts90k,
      long frameDuration90k) {
    List<int[]> nals = new ArrayList<>(); // {startCodeStart, nalStart}
    int zeros = 0;
    for (int i = 0; i < es.length; i++) {
      int b = es[i] & 0xFF;
      if (b == 0) {
        zeros++;
        continue;
      }
      if (b == 1 && zeros >= 2) {
        nals.add(new int[] {i - Math.min(zeros, 3), i + 1});
      }
      zeros = 0;
    }
    List<MediaSample> samples = new ArrayList<>();
    int auStart = 0;
    boolean sliceSeen = false;
    boolean key = false;
    for (int[] nal : nals) {
      int h = es[nal[1]] & 0xFF;
      int type = hevc ? (h >> 1) & 0x3F : h & 0x1F;
      boolean slice = hevc ? type < 32 : type == 1 || type == 5;
      boolean firstSlice = slice && (es[nal[1] + (hevc ? 2 : 1)] & 0x80) != 0;
      boolean startsAu = sliceSeen && (firstSlice || !slice && (hevc ? type >= 32 && type <= 35 || type == 39 : type >= 6 && type <= 9));
      if (startsAu) {
        long pts = firstPts90k + samples.size() * frameDuration90k;
        samples.add(new MediaSample(trackId, pts, pts, key, ByteSlice.copyOf(es, auStart, nal[0] - auStart)));
        auStart = nal[0];
        sliceSeen = false;
        key = false;
      }
      if (slice) {
        sliceSeen = true;
        key |= hevc ? type >= 16 && type <= 23 : type == 5;
      }
    }
    long pts = firstPts90k + samples.size() * frameDuration90k;
    samples.add(new MediaSample(trackId, pts, pts, key, ByteSlice.copyOf(es, auStart, es.length - auStart)));
    return samples;
  }

  /** Splits ADTS frames (ISO/IEC 13818-7 §6.2: frame_length (13) at bit 30). */
  static List<MediaSample> adtsSamples(byte[] es, int trackId, long firstPts90k, long frameDuration90k) {
    List<MediaSample> samples = new ArrayList<>();
    int p = 0;
    while (p + 7 <= es.length) {
      assertEquals(0xFFF, ((es[p] & 0xFF) << 4) | ((es[p + 1] & 0xF0) >> 4), "ADTS sync at " + p);
      int length = ((es[p + 3] & 0x03) << 11) | ((es[p + 4] & 0xFF) << 3) | ((es[p + 5] & 0xE0) >> 5);
      long pts = firstPts90k + samples.size() * frameDuration90k;
      samples.add(new MediaSample(trackId, pts, pts, true, ByteSlice.copyOf(es, p, length)));
      p += length;
    }
    return samples;
  }

  /** Splits AC-3 sync frames at 48 kHz (ATSC A/52 Table 5.18: words = 2 × kbit/s). */
  static List<MediaSample> ac3Samples(byte[] es, int trackId, long firstPts90k) {
    int[] kbps = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 576, 640};
    List<MediaSample> samples = new ArrayList<>();
    int p = 0;
    while (p + 6 <= es.length) {
      assertEquals(0x0B77, ((es[p] & 0xFF) << 8) | (es[p + 1] & 0xFF), "AC-3 sync at " + p);
      assertEquals(0, (es[p + 4] & 0xC0) >> 6, "fscod 48 kHz");
      int length = kbps[(es[p + 4] & 0x3F) >> 1] * 4;
      long pts = firstPts90k + samples.size() * 2880L;
      samples.add(new MediaSample(trackId, pts, pts, true, ByteSlice.copyOf(es, p, length)));
      p += length;
    }
    return samples;
  }

  /** Splits MPEG-1 layer II frames at 48 kHz (ISO/IEC 11172-3 §2.4.3.1). */
  static List<MediaSample> mp2Samples(byte[] es, int trackId, long firstPts90k) {
    int[] kbps = {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384};
    List<MediaSample> samples = new ArrayList<>();
    int p = 0;
    while (p + 4 <= es.length) {
      assertEquals(0xFFF, ((es[p] & 0xFF) << 4) | ((es[p + 1] & 0xF0) >> 4), "MPEG audio sync at " + p);
      int bitrate = kbps[(es[p + 2] & 0xF0) >> 4] * 1000;
      int padding = (es[p + 2] & 0x02) >> 1;
      int length = 144 * bitrate / 48_000 + padding;
      long pts = firstPts90k + samples.size() * 2160L;
      samples.add(new MediaSample(trackId, pts, pts, true, ByteSlice.copyOf(es, p, length)));
      p += length;
    }
    return samples;
  }

  /** Merges sample lists by DTS (stable: earlier lists first on ties), as a demuxer would interleave. */
  static List<MediaSample> interleave(List<List<MediaSample>> tracks) {
    List<MediaSample> all = new ArrayList<>();
    tracks.forEach(all::addAll);
    all.sort((a, b) -> Long.compare(a.dts90k(), b.dts90k()));
    return all;
  }

  // ---------------------------------------------------------------- TS parsing

  /** One parsed transport packet. */
  record Packet(int index, int pid, boolean unitStart, int adaptationFieldControl, int continuityCounter,
      long pcr90k, boolean randomAccess, boolean discontinuity, byte[] payload) {
    boolean hasPayload() {
      return (adaptationFieldControl & 1) != 0;
    }

    boolean hasPcr() {
      return pcr90k >= 0;
    }
  }

  /** One reassembled PES packet. */
  record Pes(int pid, int streamId, long pts33, long dts33, int declaredLength, boolean randomAccess,
      int firstPacketIndex, byte[] payload) {}

  static List<Packet> packets(byte[] ts) {
    assertEquals(0, ts.length % 188, "whole packets");
    List<Packet> out = new ArrayList<>();
    for (int i = 0; i < ts.length / 188; i++) {
      int o = i * 188;
      assertEquals(0x47, ts[o] & 0xFF, "sync byte of packet " + i);
      int pid = ((ts[o + 1] & 0x1F) << 8) | (ts[o + 2] & 0xFF);
      boolean pusi = (ts[o + 1] & 0x40) != 0;
      int afc = (ts[o + 3] & 0x30) >> 4;
      int cc = ts[o + 3] & 0x0F;
      int p = o + 4;
      long pcr = -1;
      boolean rai = false;
      boolean disc = false;
      if ((afc & 2) != 0) {
        int afLength = ts[p] & 0xFF;
        if (afLength > 0) {
          int flags = ts[p + 1] & 0xFF;
          disc = (flags & 0x80) != 0;
          rai = (flags & 0x40) != 0;
          if ((flags & 0x10) != 0) {
            pcr = ((ts[p + 2] & 0xFFL) << 25) | ((ts[p + 3] & 0xFFL) << 17) | ((ts[p + 4] & 0xFFL) << 9)
                | ((ts[p + 5] & 0xFFL) << 1) | ((ts[p + 6] & 0x80L) >> 7);
          }
        }
        p += 1 + afLength;
      }
      byte[] payload = (afc & 1) != 0 ? java.util.Arrays.copyOfRange(ts, p, o + 188) : new byte[0];
      out.add(new Packet(i, pid, pusi, afc, cc, pcr, rai, disc, payload));
    }
    return out;
  }

  /** Reassembles the PES packets of {@code pid}. */
  static List<Pes> pes(List<Packet> packets, int pid) {
    List<Pes> out = new ArrayList<>();
    ByteArrayOutputStream current = null;
    int firstIndex = -1;
    boolean rai = false;
    for (Packet packet : packets) {
      if (packet.pid() != pid || !packet.hasPayload()) {
        continue;
      }
      if (packet.unitStart()) {
        if (current != null) {
          out.add(parsePes(pid, current.toByteArray(), rai, firstIndex));
        }
        current = new ByteArrayOutputStream();
        firstIndex = packet.index();
        rai = packet.randomAccess();
      }
      if (current != null) {
        current.writeBytes(packet.payload());
      }
    }
    if (current != null) {
      out.add(parsePes(pid, current.toByteArray(), rai, firstIndex));
    }
    return out;
  }

  private static Pes parsePes(int pid, byte[] b, boolean rai, int firstIndex) {
    assertEquals(1, ((b[0] & 0xFF) << 16) | ((b[1] & 0xFF) << 8) | (b[2] & 0xFF), "start code prefix");
    int streamId = b[3] & 0xFF;
    int declared = ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
    int flags = (b[7] & 0xC0) >> 6;
    int headerDataLength = b[8] & 0xFF;
    long pts = flags >= 2 ? timestamp(b, 9) : -1;
    long dts = flags == 3 ? timestamp(b, 14) : pts;
    int payloadStart = 9 + headerDataLength;
    int end = declared == 0 ? b.length : 6 + declared;
    assertTrue(end <= b.length, "PES shorter than PES_packet_length");
    return new Pes(pid, streamId, pts, dts, declared, rai, firstIndex,
        java.util.Arrays.copyOfRange(b, payloadStart, end));
  }

  private static long timestamp(byte[] b, int p) {
    return ((b[p] & 0x0EL) << 29) | ((b[p + 1] & 0xFFL) << 22) | ((b[p + 2] & 0xFEL) << 14)
        | ((b[p + 3] & 0xFFL) << 7) | ((b[p + 4] & 0xFEL) >> 1);
  }

  // ---------------------------------------------------------------- ffmpeg

  /** Result of running a tool. */
  record ToolRun(int exitCode, String stdout, String stderr) {}

  /**
   * Runs ffmpeg/ffprobe; skips the test when the tool is missing, unless CI=true, where it fails.
   */
  static ToolRun run(String tool, String... args) throws IOException, InterruptedException {
    Path binary = findTool(tool);
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("tool", ".out");
    Path err = Files.createTempFile("tool", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(tool + " timed out");
      }
      return new ToolRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Path findTool(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(tool + " is required when CI=true but was not found on PATH");
    }
    Assumptions.assumeTrue(false, tool + " not found on PATH");
    throw new IllegalStateException();
  }

  /** ffprobe's streams as maps of key=value (from -show_streams -of flat-free "default" output). */
  static List<Map<String, String>> parseStreams(String ffprobeOut) {
    List<Map<String, String>> streams = new ArrayList<>();
    Map<String, String> current = null;
    for (String line : ffprobeOut.split("\n")) {
      if (line.equals("[STREAM]")) {
        current = new LinkedHashMap<>();
      } else if (line.equals("[/STREAM]")) {
        streams.add(current);
        current = null;
      } else if (current != null && line.contains("=")) {
        current.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    return streams;
  }
}
