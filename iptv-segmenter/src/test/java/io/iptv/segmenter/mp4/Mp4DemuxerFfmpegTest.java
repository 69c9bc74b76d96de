package io.iptv.segmenter.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads MP4s made by ffmpeg and checks every sample against ffprobe of the same file, then remuxes the
 * result to MPEG-TS and decodes it. Skipped without ffmpeg unless CI=true.
 */
class Mp4DemuxerFfmpegTest {
  private static final String[] VIDEO_SOURCE = {"-f", "lavfi", "-i", "testsrc=size=320x240:rate=25"};
  private static final String[] AUDIO_SOURCE = {"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"};

  @TempDir Path dir;

  private Path make(String name, String... args) throws Exception {
    Path out = dir.resolve(name);
    List<String> all = new ArrayList<>();
    all.addAll(List.of(VIDEO_SOURCE));
    all.addAll(List.of(AUDIO_SOURCE));
    all.addAll(List.of("-t", "3", "-metadata:s:a:0", "language=eng"));
    all.addAll(List.of(args));
    all.add(out.toString());
    Mp4TestSupport.ffmpeg(all.toArray(String[]::new));
    return out;
  }

  private static final String[] H264_BFRAMES = {
      "-c:v", "libx264", "-bf", "3", "-x264-params", "b-pyramid=normal", "-g", "25", "-pix_fmt", "yuv420p",
      "-c:a", "aac", "-ac", "2"};

  private List<StreamEvent> check(Path mp4, boolean strictDtsOrder) throws Exception {
    List<StreamEvent> events = Mp4TestSupport.demux(mp4);
    assertTrue(events.get(events.size() - 1) instanceof StreamEvent.EndOfStream);
    Mp4TestSupport.assertMatchesFfprobe(mp4, events);
    if (strictDtsOrder) {
      Mp4TestSupport.assertDtsOrder(events);
    }
    TrackFormat video = Mp4TestSupport.formats(events).get(0);
    int frames = Mp4TestSupport.muxAndDecode(events, dir.resolve(mp4.getFileName() + ".ts"));
    assertEquals(Mp4TestSupport.samples(events, video.trackId()).size(), frames, "every picture decodes");
    return events;
  }

  @Test
  void h264AacWithBFramePyramidMoovAtEnd() throws Exception {
    Path mp4 = make("bframes.mp4", H264_BFRAMES);
    List<StreamEvent> events = check(mp4, true);
    List<TrackFormat> formats = Mp4TestSupport.formats(events);
    TrackFormat video = formats.get(0);
    assertEquals(Codec.H264, video.codec());
    assertEquals(320, video.width());
    assertEquals(240, video.height());
    assertEquals(25.0, video.frameRate(), 0.01);
    assertTrue(video.codecString().startsWith("avc1."), video.codecString());
    assertEquals(2, video.codecConfig().size(), "SPS, PPS");
    assertEquals(7, video.codecConfig().get(0).byteAt(0) & 0x1F, "SPS NAL unit type");
    assertNull(video.language(), "und is null");
    TrackFormat audio = formats.get(1);
    assertEquals(Codec.AAC, audio.codec());
    assertEquals("mp4a.40.2", audio.codecString());
    assertEquals(48_000, audio.sampleRate());
    assertEquals(2, audio.channels());
    assertEquals("eng", audio.language());
    assertEquals(1, audio.codecConfig().size());
    MediaSample firstVideo = Mp4TestSupport.samples(events, video.trackId()).get(0);
    assertTrue(firstVideo.keyframe());
    assertEquals(1, firstVideo.data().byteAt(3), "Annex B start code");
    MediaSample firstAudio = Mp4TestSupport.samples(events, audio.trackId()).get(0);
    assertEquals(0xFF, firstAudio.data().byteAt(0), "ADTS syncword");
    assertTrue(firstVideo.pts90k() > firstVideo.dts90k(), "B-frame composition delay kept");
  }

  @Test
  void faststartGivesTheSameSamplesAsMoovAtEnd() throws Exception {
    Path end = make("end.mp4", H264_BFRAMES);
    List<String> args = new ArrayList<>(List.of(H264_BFRAMES));
    args.addAll(List.of("-movflags", "+faststart"));
    Path start = make("faststart.mp4", args.toArray(String[]::new));
    List<StreamEvent> fromStart = check(start, true);
    List<StreamEvent> fromEnd = Mp4TestSupport.demux(end);
    assertEquals(fromEnd.size(), fromStart.size());
    for (int i = 0; i < fromEnd.size(); i++) {
      if (fromEnd.get(i) instanceof MediaSample a) {
        MediaSample b = (MediaSample) fromStart.get(i);
        assertEquals(a, b, "sample " + i);
      }
    }
  }

  @Test
  void fragmented() throws Exception {
    List<String> args = new ArrayList<>(List.of(H264_BFRAMES));
    args.addAll(List.of("-movflags", "frag_keyframe+empty_moov+default_base_moof"));
    Path mp4 = make("frag.mp4", args.toArray(String[]::new));
    List<StreamEvent> events = check(mp4, true);
    assertEquals(2, Mp4TestSupport.formats(events).size());
  }

  @Test
  void hevcAndAc3() throws Exception {
    Path mp4 = make("hevc.mp4", "-c:v", "libx265", "-tag:v", "hvc1", "-x265-params", "log-level=error:bframes=3",
        "-pix_fmt", "yuv420p", "-c:a", "ac3");
    List<StreamEvent> events = check(mp4, true);
    TrackFormat video = Mp4TestSupport.formats(events).get(0);
    assertEquals(Codec.H265, video.codec());
    assertTrue(video.codecString().startsWith("hvc1.1."), video.codecString());
    assertEquals(3, video.codecConfig().size(), "VPS, SPS, PPS");
    assertEquals(320, video.width());
    TrackFormat audio = Mp4TestSupport.formats(events).get(1);
    assertEquals(Codec.AC3, audio.codec());
    assertEquals(48_000, audio.sampleRate());
    assertEquals(0x0B77, (Mp4TestSupport.samples(events, audio.trackId()).get(0).data().byteAt(0) << 8)
        | Mp4TestSupport.samples(events, audio.trackId()).get(0).data().byteAt(1), "AC-3 syncword");
  }

  @Test
  void eac3() throws Exception {
    Path mp4 = make("eac3.mp4", "-c:v", "libx264", "-bf", "2", "-c:a", "eac3");
    List<StreamEvent> events = check(mp4, true);
    assertEquals(Codec.EAC3, Mp4TestSupport.formats(events).get(1).codec());
  }

  @Test
  void audioDelayedByAnEmptyEdit() throws Exception {
    Path out = dir.resolve("delay.mp4");
    Mp4TestSupport.ffmpeg(VIDEO_SOURCE[0], VIDEO_SOURCE[1], VIDEO_SOURCE[2], VIDEO_SOURCE[3], "-itsoffset", "0.5",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "3", "-c:v", "libx264", "-bf", "2",
        "-g", "25", "-c:a", "aac", out.toString());
    List<StreamEvent> events = check(out, true);
    List<TrackFormat> formats = Mp4TestSupport.formats(events);
    MediaSample firstVideo = Mp4TestSupport.samples(events, formats.get(0).trackId()).get(0);
    MediaSample firstAudio = Mp4TestSupport.samples(events, formats.get(1).trackId()).get(0);
    long gap = firstAudio.pts90k() - firstVideo.pts90k();
    // ffmpeg writes the 0.5 s offset minus the AAC priming (1024 samples) as the empty edit
    assertTrue(gap > 45_000 - 2_200 && gap <= 45_000, "audio starts about 0.5 s after video: " + gap);
  }

  @Test
  void outputTsOffsetShiftsTheWholeTimeline() throws Exception {
    Path shifted = make("shifted.mp4", "-c:v", "libx264", "-bf", "2", "-c:a", "aac", "-output_ts_offset", "2");
    check(shifted, true);
  }

  @Test
  void negativeCompositionOffsets() throws Exception {
    List<String> args = new ArrayList<>(List.of(H264_BFRAMES));
    args.addAll(List.of("-movflags", "+negative_cts_offsets"));
    check(make("negcts.mp4", args.toArray(String[]::new)), true);
  }

  @Test
  void withoutEditList() throws Exception {
    List<String> args = new ArrayList<>(List.of(H264_BFRAMES));
    args.addAll(List.of("-use_editlist", "0"));
    check(make("noedts.mp4", args.toArray(String[]::new)), true);
  }

  @Test
  void mediaInputsOpensMp4ByContent() throws Exception {
    Path mp4 = make("plain.mp4", "-c:v", "libx264", "-c:a", "aac");
    List<StreamEvent> viaFactory = new ArrayList<>();
    try (MediaInput input = MediaInputs.open(mp4)) {
      input.readAll(viaFactory::add);
    }
    assertEquals(Mp4TestSupport.demux(mp4), viaFactory);
  }
}
