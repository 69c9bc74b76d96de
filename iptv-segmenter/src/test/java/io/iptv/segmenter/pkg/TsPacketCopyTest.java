package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packet-copy path of {@link HlsFilePackager} ({@link TsPacketCopier}): the same segments and playlists as
 * demuxing and muxing, every source packet exactly once, whole PES packets in every segment, each segment
 * decodable on its own, and input that does not qualify packaged the full way.
 */
class TsPacketCopyTest {
  private static final int PACKET = 188;

  @TempDir Path temp;

  private HlsFilePackager.Result pack(Path input, Path out, boolean copy) throws Exception {
    return HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).packetCopy(copy).build()
        .packageFiles(List.of(input), out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac.ts", "h265_ac3.ts", "h264_eac3.ts", "h264_mp2.ts", "h264_mp3.ts",
      "h264_aac_pts_wrap.ts", "h264_aac_cbr.ts"})
  void copiedSegmentsAreTheMuxedOnesCutFromTheSource(String clip) throws Exception {
    Path input = TestMedia.path(clip);
    HlsFilePackager.Result copied = pack(input, temp.resolve("copy"), true);
    HlsFilePackager.Result muxed = pack(input, temp.resolve("mux"), false);
    assertTrue(copied.packetsCopied(), clip + " qualifies for packet copy");
    assertFalse(muxed.packetsCopied());
    assertTrue(copied.timings().size() >= 3, "segments: " + copied.timings());

    // the same cuts, durations, names and target duration: only the bytes differ
    assertEquals(muxed.timings(), copied.timings());
    Path copiedPlaylist = temp.resolve("copy/stream/index.m3u8");
    assertEquals(Files.readString(temp.resolve("mux/stream/index.m3u8")), Files.readString(copiedPlaylist));
    MultivariantPlaylist.Variant a = HlsOutput.master(temp.resolve("copy")).variants().get(0);
    MultivariantPlaylist.Variant b = HlsOutput.master(temp.resolve("mux")).variants().get(0);
    assertEquals(b.codecs(), a.codecs());
    assertEquals(b.width(), a.width());
    assertEquals(b.height(), a.height());
    assertEquals(b.frameRate(), a.frameRate());

    MediaPlaylist playlist = HlsOutput.media(copiedPlaylist);
    HlsOutput.assertTargetDurationRule(playlist);
    HlsOutput.assertSegmentsStartWithKeyframes(copiedPlaylist, playlist);
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("copy/master.m3u8")), "ffmpeg decode errors");
    byte[] source = Files.readAllBytes(input);
    List<byte[]> segments = new ArrayList<>();
    for (MediaSegment s : playlist.segments()) {
      Path file = copiedPlaylist.resolveSibling(s.uri());
      // each segment alone: starts with PAT and PMT, whole PES packets, decodes without an error
      assertEquals("", HlsOutput.ffmpegErrors(file), s.uri() + " decoded alone");
      byte[] bytes = Files.readAllBytes(file);
      assertEquals(0, bytes.length % PACKET);
      if (!segments.isEmpty()) { // the first one starts where the file does
        assertEquals(0, pid(bytes, 0), s.uri() + " starts with the PAT");
      }
      assertWholePes(bytes, s.uri());
      segments.add(bytes);
    }
    assertEveryPacketOnce(source, segments);
  }

  /**
   * A broadcast multiplexer interleaves PES packets packet by packet (FFmpeg writes each PES whole): an audio PES
   * begun before a video keyframe continues after it. Its tail goes with its start, into the earlier segment.
   */
  @Test
  void anAudioPesAcrossACutStaysWhole() throws Exception {
    byte[] source = interleaved(Files.readAllBytes(TestMedia.path("h264_aac.ts")), 3);
    Path input = temp.resolve("interleaved.ts");
    Files.write(input, source);
    HlsFilePackager.Result copied = pack(input, temp.resolve("copy"), true);
    HlsFilePackager.Result muxed = pack(input, temp.resolve("mux"), false);
    assertTrue(copied.packetsCopied());
    assertEquals(muxed.timings(), copied.timings());
    MediaPlaylist playlist = HlsOutput.media(temp.resolve("copy/stream/index.m3u8"));
    List<byte[]> segments = new ArrayList<>();
    int straddling = 0;
    for (MediaSegment s : playlist.segments()) {
      Path file = temp.resolve("copy/stream").resolve(s.uri());
      byte[] bytes = Files.readAllBytes(file);
      assertWholePes(bytes, s.uri());
      assertEquals("", HlsOutput.ffmpegErrors(file), s.uri() + " decoded alone");
      segments.add(bytes);
    }
    for (int i = 1; i < segments.size(); i++) {
      straddling += audioTailAfterFirstVideo(source, segments.get(i)) ? 1 : 0;
    }
    assertTrue(straddling > 0, "the interleaving put an audio PES across at least one cut");
    assertEveryPacketOnce(source, segments);
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("copy/master.m3u8")));
  }

  @Test
  void theCopiedSegmentsCarryTheSourcesSamples() throws Exception {
    // the samples a demuxer reads from the copied segments are the source's, in count and timing
    Path input = TestMedia.path("h264_aac.ts");
    pack(input, temp.resolve("copy"), true);
    var in = HlsOutput.demux(Files.readAllBytes(input));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    MediaPlaylist playlist = HlsOutput.media(temp.resolve("copy/stream/index.m3u8"));
    for (MediaSegment s : playlist.segments()) {
      all.write(Files.readAllBytes(temp.resolve("copy/stream").resolve(s.uri())));
    }
    var out = HlsOutput.demux(all.toByteArray());
    assertEquals(HlsOutput.countsByTrack(in), HlsOutput.countsByTrack(out));
    assertEquals(HlsOutput.span90k(in), HlsOutput.span90k(out));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h264_aac_multilang.ts", "mpeg2_mp2.ts", "two_programs.ts", "h264_ac3_m2ts.m2ts"})
  void inputThatDoesNotQualifyIsMuxed(String clip) throws Exception {
    HlsFilePackager.Result result = pack(TestMedia.path(clip), temp.resolve("out"), true);
    assertFalse(result.packetsCopied(), clip);
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("out/master.m3u8")));
  }

  /** Damage in the middle of a clean file: found while copying, so everything is packaged again, muxed. */
  @ParameterizedTest
  @ValueSource(strings = {"continuity", "transport-error", "sync", "truncated", "discontinuity-indicator",
      "no-access-unit-delimiter"})
  void damagedInputIsMuxedInstead(String damage) throws Exception {
    byte[] ts = Files.readAllBytes(TestMedia.path("h264_aac.ts"));
    int packet = videoPacketWithoutStart(ts, ts.length / PACKET * 2 / 3);
    int at = packet * PACKET;
    switch (damage) {
      case "continuity" -> ts[at + 3] = (byte) ((ts[at + 3] & 0xF0) | ((ts[at + 3] + 5) & 0x0F));
      case "transport-error" -> ts[at + 1] |= (byte) 0x80;
      case "sync" -> ts[at] = 0x46;
      case "truncated" -> ts = Arrays.copyOf(ts, ts.length - 100);
      case "no-access-unit-delimiter" -> {
        // the AUD of a later video PES becomes filler data (NAL type 12): the muxer would insert an AUD there
        int aud = indexOf(ts, new byte[] {0, 0, 0, 1, 0x09, (byte) 0xF0}, ts.length / 2);
        ts[aud + 4] = 0x0C;
      }
      case "discontinuity-indicator" -> {
        int withAf = packetWithAdaptationField(ts, packet);
        ts[withAf * PACKET + 5] |= (byte) 0x80;
      }
      default -> throw new AssertionError(damage);
    }
    Path input = temp.resolve("damaged.ts");
    Files.write(input, ts);
    HlsFilePackager.Result result = pack(input, temp.resolve("out"), true);
    assertFalse(result.packetsCopied(), damage);
    assertTrue(result.timings().size() >= 2);
    try (var files = Files.list(temp)) {
      assertEquals(2, files.count(), "the copy attempt's staging directory is gone");
    }
  }

  @Test
  void packetCopyCanBeTurnedOff() throws Exception {
    assertFalse(pack(TestMedia.path("h264_aac.ts"), temp.resolve("out"), false).packetsCopied());
  }

  @Test
  void outputThatNeedsTheMuxerIsNotCopied() throws Exception {
    Path input = TestMedia.path("h264_aac.ts");
    assertFalse(HlsFilePackager.builder().iFrames(true).build().packageFiles(List.of(input), temp.resolve("i"))
        .packetsCopied(), "I-frame playlists address the muxer's keyframe ranges");
    assertFalse(HlsFilePackager.builder().segmentFormat(SegmentFormat.FMP4).build()
        .packageFiles(List.of(input), temp.resolve("f")).packetsCopied());
    assertFalse(HlsFilePackager.builder().playlistType(HlsPlaylistType.EVENT).build()
        .packageFiles(List.of(input), temp.resolve("e")).packetsCopied());
  }

  @Test
  void abrRenditionsAreCopiedEach() throws Exception {
    Path input = TestMedia.path("h264_aac.ts");
    HlsFilePackager.Result result = HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).build()
        .packageFiles(List.of(input, input), temp.resolve("abr"));
    assertTrue(result.packetsCopied());
    assertEquals(Files.readString(temp.resolve("abr/v0/index.m3u8")), Files.readString(temp.resolve("abr/v1/index.m3u8")));
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("abr/master.m3u8")));
  }

  /**
   * {@code ts} with every audio packet that continues a PES held back until {@code delay} more video packets went
   * by (but never past the next audio PES start): per-PID order, and so the continuity counters, are kept.
   */
  private static byte[] interleaved(byte[] ts, int delay) {
    int video = videoPid(ts);
    int audio = audioPid(ts);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.util.ArrayDeque<int[]> held = new java.util.ArrayDeque<>(); // {packet, video packets still to wait}
    for (int p = 0; p < ts.length / PACKET; p++) {
      int pid = pid(ts, p);
      if (pid == audio && !unitStart(ts, p)) {
        held.add(new int[] {p, delay});
        continue;
      }
      if (pid == audio) {
        held.forEach(h -> out.write(ts, h[0] * PACKET, PACKET));
        held.clear();
      }
      out.write(ts, p * PACKET, PACKET);
      if (pid == video) {
        held.forEach(h -> h[1]--);
        while (!held.isEmpty() && held.peekFirst()[1] <= 0) {
          out.write(ts, held.pollFirst()[0] * PACKET, PACKET);
        }
      }
    }
    held.forEach(h -> out.write(ts, h[0] * PACKET, PACKET));
    return out.toByteArray();
  }

  /**
   * Whether, in {@code source}, audio packets continuing a PES follow the video packet that starts
   * {@code segment} (i.e. its first video PES start): a cut there splits that audio PES.
   */
  private static boolean audioTailAfterFirstVideo(byte[] source, byte[] segment) {
    int video = videoPid(source);
    int audio = audioPid(source);
    int first = -1;
    for (int p = 0; p < segment.length / PACKET && first < 0; p++) {
      if (pid(segment, p) == video) {
        first = p;
      }
    }
    for (int q = 0; q < source.length / PACKET; q++) {
      if (Arrays.equals(source, q * PACKET, q * PACKET + PACKET, segment, first * PACKET, first * PACKET + PACKET)) {
        for (int r = q + 1; r < source.length / PACKET; r++) {
          if (pid(source, r) == audio) {
            return !unitStart(source, r);
          }
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    for (int i = from; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static int pid(byte[] ts, int packet) {
    return ((ts[packet * PACKET + 1] & 0x1F) << 8) | (ts[packet * PACKET + 2] & 0xFF);
  }

  private static boolean unitStart(byte[] ts, int packet) {
    return (ts[packet * PACKET + 1] & 0x40) != 0;
  }

  private static int videoPid(byte[] ts) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int p = 0; p < ts.length / PACKET; p++) {
      counts.merge(pid(ts, p), 1, Integer::sum);
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  /** The PID other than the video's whose first unit start is a PES. */
  private static int audioPid(byte[] ts) {
    int video = videoPid(ts);
    for (int p = 0; p < ts.length / PACKET; p++) {
      int at = p * PACKET;
      int payload = (ts[at + 3] & 0x20) != 0 ? at + 5 + (ts[at + 4] & 0xFF) : at + 4;
      if (pid(ts, p) != video && unitStart(ts, p) && ts[payload] == 0 && ts[payload + 1] == 0
          && ts[payload + 2] == 1) {
        return pid(ts, p);
      }
    }
    throw new AssertionError("no audio");
  }

  private static int videoPacketWithoutStart(byte[] ts, int from) {
    int video = videoPid(ts);
    for (int p = from; ; p++) {
      if (pid(ts, p) == video && !unitStart(ts, p) && (ts[p * PACKET + 3] & 0x20) == 0) {
        return p;
      }
    }
  }

  private static int packetWithAdaptationField(byte[] ts, int from) {
    for (int p = from; ; p++) {
      if ((ts[p * PACKET + 3] & 0x20) != 0 && (ts[p * PACKET + 4] & 0xFF) > 0 && pid(ts, p) != 0x1FFF) {
        return p;
      }
    }
  }

  /**
   * Every PES of every PID in {@code segment} is whole: each PID's first packet starts a PES, and a PES with a
   * PES_packet_length ends exactly where the next one of its PID starts (or at the segment's end).
   */
  private static void assertWholePes(byte[] segment, String name) {
    Map<Integer, int[]> open = new HashMap<>(); // pid -> {declared length or -1, bytes so far}
    java.util.Set<Integer> sections = new java.util.HashSet<>();
    int packets = segment.length / PACKET;
    for (int p = 0; p < packets; p++) {
      int pid = pid(segment, p);
      int at = p * PACKET;
      int control = (segment[at + 3] >> 4) & 3;
      if (pid < 0x20 || pid == 0x1FFF || (control & 1) == 0) {
        continue;
      }
      int payload = (control & 2) != 0 ? at + 5 + (segment[at + 4] & 0xFF) : at + 4;
      int length = at + PACKET - payload;
      boolean pesStart = segment[payload] == 0 && segment[payload + 1] == 0 && segment[payload + 2] == 1;
      if (unitStart(segment, p) && !pesStart) {
        sections.add(pid); // PSI/SI sections (the PMT's PID is not known here)
      }
      if (sections.contains(pid)) {
        continue;
      }
      if (unitStart(segment, p)) {
        closePes(open.remove(pid), name, pid);
        int declared = ((segment[payload + 4] & 0xFF) << 8) | (segment[payload + 5] & 0xFF);
        open.put(pid, new int[] {declared == 0 ? -1 : declared + 6, length});
      } else {
        int[] pes = open.get(pid);
        assertTrue(pes != null, name + ": PID " + pid + " continues a PES begun in another segment");
        pes[1] += length;
      }
    }
    open.forEach((pid, pes) -> closePes(pes, name, pid));
  }

  private static void closePes(int[] pes, String name, int pid) {
    if (pes != null && pes[0] >= 0) {
      assertEquals(pes[0], pes[1], name + ": PID " + pid + " PES length");
    }
  }

  /**
   * The segments hold every packet of the source exactly once, in the source's order per PID, apart from the PAT
   * and PMT repeated at the start of each segment after the first.
   */
  private static void assertEveryPacketOnce(byte[] source, List<byte[]> segments) {
    Map<Integer, ByteArrayOutputStream> in = new HashMap<>();
    for (int p = 0; p < source.length / PACKET; p++) {
      in.computeIfAbsent(pid(source, p), k -> new ByteArrayOutputStream()).write(source, p * PACKET, PACKET);
    }
    Map<Integer, ByteArrayOutputStream> out = new HashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      byte[] s = segments.get(i);
      for (int p = i == 0 ? 0 : 2; p < s.length / PACKET; p++) {
        out.computeIfAbsent(pid(s, p), k -> new ByteArrayOutputStream()).write(s, p * PACKET, PACKET);
      }
    }
    assertEquals(in.keySet(), out.keySet());
    for (int pid : in.keySet()) {
      assertTrue(Arrays.equals(in.get(pid).toByteArray(), out.get(pid).toByteArray()), "packets of PID " + pid);
    }
  }
}
