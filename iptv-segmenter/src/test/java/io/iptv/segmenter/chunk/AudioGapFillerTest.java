package io.iptv.segmenter.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.TrackFormat;
import io.iptv.segmenter.slate.SilentAacFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioGapFillerTest {
  private static final int VIDEO = 256;
  private static final int AUDIO = 257;
  /** 1024 samples at 48 kHz. */
  private static final long FRAME_90K = 1920;
  private static final ByteSlice SILENT_ADTS = SilentAacFrame.adts(48_000, 2);
  /** A real ADTS frame's header (AAC-LC, 48 kHz, stereo) and some payload. */
  private static final ByteSlice REAL_ADTS = adtsFrame();

  private final List<MediaSample> dropped = new ArrayList<>();
  private final AudioGapFiller filler = new AudioGapFiller(dropped::add);

  AudioGapFillerTest() {
    filler.onFormat(TrackFormat.builder(VIDEO, Codec.H264).build());
    filler.onFormat(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(48_000).channels(2).build());
  }

  @Test
  void aHoleOfSeveralFramesInsideAChunkIsFilledEvenlyWithSilentFramesOfTheSameFraming() {
    List<MediaSample> samples = new ArrayList<>(video(0, 90_000));
    for (int i = 0; i < 47; i++) {
      if (i < 10 || i >= 20) { // frames 10..19 lost: 10 frames, 213 ms
        samples.add(audio(i * FRAME_90K));
      }
    }
    Chunk filled = filler.fill(new Chunk(0, 0, false, 0, 90_000, samples));

    List<MediaSample> audio = track(filled, AUDIO);
    assertEquals(47, audio.size());
    for (int i = 0; i < 47; i++) {
      assertEquals(i * FRAME_90K, audio.get(i).pts90k(), "frame " + i);
      assertEquals(i >= 10 && i < 20 ? SILENT_ADTS : REAL_ADTS, audio.get(i).data(), "frame " + i);
    }
    assertEquals(10, filler.framesInserted());
    assertEquals(samples.size() + 10, filled.samples().size(), "video untouched");
    assertSortedByDts(filled);
  }

  @Test
  void holesShorterThanTwoFramesAndChunksWithoutHolesAreLeftAsTheyAre() {
    List<MediaSample> samples = new ArrayList<>(video(0, 90_000));
    for (int i = 0; i < 47; i++) {
      if (i != 30) { // one lost frame: jitter-sized, left alone
        samples.add(audio(i * FRAME_90K + (i % 3))); // and ±1 tick of PES timestamp rounding
      }
    }
    Chunk chunk = new Chunk(0, 0, false, 0, 90_000, samples);
    assertSame(chunk, filler.fill(chunk));
    assertEquals(0, filler.framesInserted());
  }

  @Test
  void aChunkWithoutAnyAudioIsSilentFromTheEndOfThePreviousAudioToItsEnd() {
    fillFirstSecond(47);
    // the audio PID is gone for the whole next second
    Chunk filled = filler.fill(new Chunk(1, 0, false, 90_000, 90_000, video(90_000, 180_000)));

    List<MediaSample> audio = track(filled, AUDIO);
    long audioEnd = 47 * FRAME_90K; // 90_240: the last real frame reached into this chunk
    assertEquals((180_000 - audioEnd) / FRAME_90K, audio.size());
    assertEquals(audioEnd, audio.get(0).pts90k());
    assertTrue(audio.get(audio.size() - 1).pts90k() + FRAME_90K <= 180_000, "no frame past the chunk's end");
    assertTrue(180_000 - (audio.get(audio.size() - 1).pts90k() + FRAME_90K) < FRAME_90K, "less than a frame left");
    assertTrue(audio.stream().allMatch(s -> s.data().equals(SILENT_ADTS) && s.keyframe()));
  }

  /**
   * The end of a period (the input stopped right after a video keyframe, or a slate ended on its IDR): its last
   * chunk is one frame of video, shorter than two audio frames, and its audio never came. An audio rendition
   * still needs a sample for that segment.
   */
  @Test
  void aShortLastChunkOfAPeriodWithoutAudioStillGetsOneSilentFrame() {
    fillFirstSecond(47); // 47 frames: the last one ends at 90_240
    Chunk filled = filler.fill(new Chunk(1, 0, false, 90_000, 3600, video(90_000, 93_600)));

    List<MediaSample> audio = track(filled, AUDIO);
    assertEquals(1, audio.size(), "1.75 frames left: less than a hole, but the segment needs audio");
    assertEquals(47 * FRAME_90K, audio.get(0).pts90k());
  }

  @Test
  void audioStartingLateInANewPeriodIsPrecededBySilenceFromThePeriodStart() {
    fillFirstSecond(47);
    // after a discontinuity the timeline restarts at 900_000; audio only begins 200 ms later
    List<MediaSample> next = new ArrayList<>(video(900_000, 990_000));
    for (long t = 918_000; t < 990_000; t += FRAME_90K) {
      next.add(audio(t));
    }
    Chunk filled = filler.fill(new Chunk(1, 1, true, 900_000, 90_000, next));

    List<MediaSample> audio = track(filled, AUDIO);
    assertEquals(900_000, audio.get(0).pts90k());
    long silent = audio.stream().filter(s -> s.data().equals(SILENT_ADTS)).count();
    assertEquals(Math.round(18_000.0 / FRAME_90K), silent);
    assertEquals(918_000, audio.get((int) silent).pts90k(), "then the real audio, unchanged");
  }

  @Test
  void aRealSampleArrivingAfterSilenceCoveredItsTimeIsDroppedAndReported() {
    fillFirstSecond(20); // silence from 38_400 to the chunk's end
    MediaSample late = audio(20 * FRAME_90K); // later than the chunker waits: it went to the next chunk
    List<MediaSample> next = new ArrayList<>(video(90_000, 180_000));
    next.add(late);
    for (long t = 47 * FRAME_90K; t < 180_000; t += FRAME_90K) {
      next.add(audio(t));
    }
    Chunk filled = filler.fill(new Chunk(1, 0, false, 90_000, 90_000, next));

    assertEquals(List.of(late), dropped);
    assertEquals(1, filler.samplesDropped());
    assertTrue(filled.samples().stream().noneMatch(s -> s == late));
  }

  @Test
  void rawAacFromMp4GetsRawSilentFramesAndOnlyForAacLc() {
    AudioGapFiller raw = new AudioGapFiller(dropped::add);
    ByteSlice lc = ByteSlice.wrap(new byte[] {0x11, (byte) 0x90}); // AOT 2, 48 kHz, 2 channels
    raw.onFormat(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(48_000).channels(2).codecConfig(List.of(lc))
        .build());
    ByteSlice payload = ByteSlice.wrap(new byte[] {0x21, 0x10, 0x05, 0x00});
    List<MediaSample> samples = new ArrayList<>();
    for (int i = 0; i < 47; i++) {
      if (i < 10 || i >= 20) {
        samples.add(new MediaSample(AUDIO, i * FRAME_90K, i * FRAME_90K, true, payload));
      }
    }
    List<MediaSample> audio = raw.fill(new Chunk(0, 0, false, 0, 90_000, samples)).samples();
    assertEquals(SILENT_ADTS.slice(7, SILENT_ADTS.length() - 7), audio.get(10).data(), "no ADTS header");

    AudioGapFiller he = new AudioGapFiller(dropped::add);
    ByteSlice heAac = ByteSlice.wrap(new byte[] {0x2B, (byte) 0x11, (byte) 0x88, 0x00}); // AOT 5 (SBR)
    he.onFormat(TrackFormat.builder(AUDIO, Codec.AAC).sampleRate(24_000).channels(2).codecConfig(List.of(heAac))
        .build());
    Chunk chunk = new Chunk(0, 0, false, 0, 90_000, samples);
    assertSame(chunk, he.fill(chunk), "an LC frame would not decode as HE-AAC: left alone");
  }

  @Test
  void otherAudioCodecsAreLeftAlone() {
    AudioGapFiller ac3 = new AudioGapFiller(dropped::add);
    ac3.onFormat(TrackFormat.builder(AUDIO, Codec.AC3).sampleRate(48_000).channels(6).build());
    List<MediaSample> samples = List.of(new MediaSample(AUDIO, 0, 0, true, REAL_ADTS),
        new MediaSample(AUDIO, 30_000, 30_000, true, REAL_ADTS));
    Chunk chunk = new Chunk(0, 0, false, 0, 90_000, samples);
    assertSame(chunk, ac3.fill(chunk));
  }

  /** Fills the first second: video and the first {@code audioFrames} audio frames. */
  private void fillFirstSecond(int audioFrames) {
    List<MediaSample> first = new ArrayList<>(video(0, 90_000));
    for (int i = 0; i < audioFrames; i++) {
      first.add(audio(i * FRAME_90K));
    }
    filler.fill(new Chunk(0, 0, false, 0, 90_000, first));
  }

  private static List<MediaSample> video(long from90k, long to90k) {
    List<MediaSample> out = new ArrayList<>();
    for (long t = from90k; t < to90k; t += 3600) {
      out.add(new MediaSample(VIDEO, t, t, t == from90k, ByteSlice.wrap(new byte[] {0, 0, 1, 0x65})));
    }
    return out;
  }

  private static MediaSample audio(long pts90k) {
    return new MediaSample(AUDIO, pts90k, pts90k, true, REAL_ADTS);
  }

  private static List<MediaSample> track(Chunk chunk, int trackId) {
    return chunk.samples().stream().filter(s -> s.trackId() == trackId).toList();
  }

  private static void assertSortedByDts(Chunk chunk) {
    for (int i = 1; i < chunk.samples().size(); i++) {
      assertTrue(chunk.samples().get(i - 1).dts90k() <= chunk.samples().get(i).dts90k(), "decode order at " + i);
    }
  }

  private static ByteSlice adtsFrame() {
    byte[] b = SilentAacFrame.adts(48_000, 2).toByteArray();
    byte[] out = new byte[b.length + 4];
    System.arraycopy(b, 0, out, 0, 7);
    int length = out.length;
    out[3] = (byte) ((out[3] & 0xFC) | (length >> 11) & 0x03);
    out[4] = (byte) (length >> 3);
    out[5] = (byte) ((length & 0x07) << 5 | 0x1F);
    for (int i = 7; i < out.length; i++) {
      out[i] = (byte) (0x40 + i);
    }
    return ByteSlice.wrap(out);
  }
}
