package io.iptv.segmenter.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.ts.MuxTestSupport.ToolRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Muxes real elementary streams (fixtures made by ffmpeg, see src/test/resources/es/README.md) and checks
 * that {@code ffprobe -v error} and {@code ffmpeg -v error -i seg.ts -f null -} print nothing and see the
 * right streams. Skipped without ffmpeg unless CI=true.
 */
class TsMuxerFfmpegTest {
  private static final long START_90K = 10 * 90_000L;
  private static final int VIDEO = 1;
  private static final int AUDIO = 2;
  private static final int ID3 = 3;

  @TempDir Path dir;

  @Test
  void h264AacAndId3() throws Exception {
    List<MediaSample> video = MuxTestSupport.annexBSamples(MuxTestSupport.resource("video-h264.h264"), false,
        VIDEO, START_90K, 3600);
    List<ByteSlice> config = parameterSets(video.get(0).data(), false);
    List<MediaSample> audio = MuxTestSupport.adtsSamples(MuxTestSupport.resource("audio-aac.adts"), AUDIO,
        START_90K, 1920);
    List<MediaSample> id3 = List.of(new MediaSample(ID3, START_90K + 45_000, START_90K + 45_000, true,
        ByteSlice.wrap(id3Tag("hello"))));
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(TrackFormat.builder(VIDEO, Codec.H264).codecConfig(config).build());
    muxer.addTrack(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(48_000).channels(2).language("eng").build());
    muxer.addTrack(TrackFormat.builder(ID3, Codec.ID3).build());
    List<Path> segments = muxToFiles(muxer, MuxTestSupport.interleave(List.of(video, audio, id3)), "h264");
    assertEquals(2, segments.size());
    for (Path segment : segments) {
      List<Map<String, String>> streams = probe(segment);
      assertEquals(3, streams.size(), streams.toString());
      assertEquals("h264", streams.get(0).get("codec_name"));
      assertEquals("160", streams.get(0).get("width"));
      assertEquals("aac", streams.get(1).get("codec_name"));
      assertEquals("2", streams.get(1).get("channels"));
      assertEquals("eng", streams.get(1).get("TAG:language"));
      assertEquals("timed_id3", streams.get(2).get("codec_name"));
      decodesCleanly(segment);
    }
    Path joined = concat(segments, "h264-all.ts");
    decodesCleanly(joined);
    ToolRun frames = MuxTestSupport.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", joined.toString());
    assertEquals("", frames.stderr());
    assertEquals(String.valueOf(video.size()), frames.stdout().trim().split("\\s+")[0], "every access unit decodes");
  }

  @Test
  void hevcAndAc3() throws Exception {
    List<MediaSample> video = MuxTestSupport.annexBSamples(MuxTestSupport.resource("video-hevc.h265"), true,
        VIDEO, START_90K, 3600);
    List<ByteSlice> config = parameterSets(video.get(0).data(), true);
    assertEquals(3, config.size(), "VPS, SPS, PPS");
    List<MediaSample> audio = MuxTestSupport.ac3Samples(MuxTestSupport.resource("audio-ac3.ac3"), AUDIO, START_90K);
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(TrackFormat.builder(VIDEO, Codec.H265).codecConfig(config).build());
    muxer.addTrack(TrackFormat.builder(AUDIO, Codec.AC3).sampleRate(48_000).build());
    List<Path> segments = muxToFiles(muxer, MuxTestSupport.interleave(List.of(video, audio)), "hevc");
    for (Path segment : segments) {
      List<Map<String, String>> streams = probe(segment);
      assertEquals(2, streams.size(), streams.toString());
      assertEquals("hevc", streams.get(0).get("codec_name"));
      assertEquals("ac3", streams.get(1).get("codec_name"));
      decodesCleanly(segment);
    }
    decodesCleanly(concat(segments, "hevc-all.ts"));
  }

  @Test
  void h264AndMpegAudio() throws Exception {
    List<MediaSample> video = MuxTestSupport.annexBSamples(MuxTestSupport.resource("video-h264.h264"), false,
        VIDEO, START_90K, 3600);
    List<MediaSample> audio = MuxTestSupport.mp2Samples(MuxTestSupport.resource("audio-mp2.mp2"), AUDIO, START_90K);
    TsMuxer muxer = TsMuxer.builder().build();
    muxer.addTrack(TrackFormat.builder(VIDEO, Codec.H264).codecConfig(parameterSets(video.get(0).data(), false))
        .build());
    muxer.addTrack(TrackFormat.builder(AUDIO, Codec.MPEG_AUDIO).sampleRate(48_000).build());
    for (Path segment : muxToFiles(muxer, MuxTestSupport.interleave(List.of(video, audio)), "mp2")) {
      List<Map<String, String>> streams = probe(segment);
      assertEquals("mp2", streams.get(1).get("codec_name"));
      decodesCleanly(segment);
    }
  }

  private List<Path> muxToFiles(TsMuxer muxer, List<MediaSample> samples, String name) throws Exception {
    List<Path> files = new ArrayList<>();
    muxer.startSegment();
    int videoFrames = 0;
    for (MediaSample s : samples) {
      if (s.trackId() == VIDEO && s.keyframe() && videoFrames > 0) {
        files.add(write(muxer.finishSegment(), name + files.size() + ".ts"));
        muxer.startSegment();
      }
      if (s.trackId() == VIDEO) {
        videoFrames++;
      }
      muxer.write(s);
    }
    files.add(write(muxer.finishSegment(), name + files.size() + ".ts"));
    return files;
  }

  private Path write(TsSegment segment, String name) throws IOException {
    Path file = dir.resolve(name);
    if (System.getenv("IPTV_KEEP_TS") != null) {
      Files.write(Path.of(System.getenv("IPTV_KEEP_TS"), name), segment.bytes().toByteArray());
    }
    Files.write(file, segment.bytes().toByteArray());
    return file;
  }

  private Path concat(List<Path> files, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Path f : files) {
      out.writeBytes(Files.readAllBytes(f));
    }
    Path joined = dir.resolve(name);
    Files.write(joined, out.toByteArray());
    return joined;
  }

  private static List<Map<String, String>> probe(Path segment) throws Exception {
    ToolRun run = MuxTestSupport.run("ffprobe", "-v", "error", "-show_streams", segment.toString());
    assertEquals("", run.stderr(), "ffprobe -v error on " + segment.getFileName());
    assertEquals(0, run.exitCode());
    return MuxTestSupport.parseStreams(run.stdout());
  }

  private static void decodesCleanly(Path segment) throws Exception {
    ToolRun run = MuxTestSupport.run("ffmpeg", "-nostdin", "-v", "error", "-i", segment.toString(), "-f", "null", "-");
    assertEquals("", run.stderr(), "ffmpeg -v error on " + segment.getFileName());
    assertEquals("", run.stdout());
    assertEquals(0, run.exitCode());
  }

  /** The parameter-set NAL units (without start codes) of the first access unit. */
  private static List<ByteSlice> parameterSets(ByteSlice accessUnit, boolean hevc) {
    byte[] b = accessUnit.toByteArray();
    List<Integer> starts = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    for (int i = 2; i < b.length; i++) {
      if (b[i] == 1 && b[i - 1] == 0 && b[i - 2] == 0) {
        if (!starts.isEmpty()) {
          ends.add(i - 2 - (i >= 3 && b[i - 3] == 0 ? 1 : 0));
        }
        starts.add(i + 1);
      }
    }
    ends.add(b.length);
    List<ByteSlice> sets = new ArrayList<>();
    for (int n = 0; n < starts.size(); n++) {
      int header = b[starts.get(n)] & 0xFF;
      int type = hevc ? (header >> 1) & 0x3F : header & 0x1F;
      boolean parameterSet = hevc ? type >= 32 && type <= 34 : type == 7 || type == 8;
      if (parameterSet) {
        sets.add(ByteSlice.copyOf(b, starts.get(n), ends.get(n) - starts.get(n)));
      }
    }
    return sets;
  }

  /** A minimal ID3v2.4 tag with one TXXX frame. */
  private static byte[] id3Tag(String text) {
    byte[] value = ("\0" + text).getBytes(StandardCharsets.ISO_8859_1); // encoding 0, empty description
    byte[] payload = new byte[value.length + 1];
    payload[0] = 0;
    System.arraycopy(value, 0, payload, 1, value.length);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes("TXXX".getBytes(StandardCharsets.ISO_8859_1));
    frame.writeBytes(new byte[] {0, 0, 0, (byte) payload.length, 0, 0});
    frame.writeBytes(payload);
    ByteArrayOutputStream tag = new ByteArrayOutputStream();
    tag.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, (byte) frame.size()});
    tag.writeBytes(frame.toByteArray());
    assertTrue(frame.size() < 128);
    return tag.toByteArray();
  }
}
