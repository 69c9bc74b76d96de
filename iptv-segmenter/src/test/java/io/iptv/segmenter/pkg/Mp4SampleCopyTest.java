package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.testing.ExternalTools;
import io.iptv.core.testing.FileTrees;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample-copy path of {@link HlsFilePackager} ({@link Mp4SampleCopier}): MP4 into fMP4 segments gives,
 * byte for byte, every file that demuxing and muxing gives, for the MP4 shapes FFmpeg writes; input whose samples
 * would change on the way is packaged the full way; damage fails as it does there; the same with sample encryption,
 * whose samples are read from the file as they are and encrypted. MP4s are made with FFmpeg
 * (required when CI=true).
 */
class Mp4SampleCopyTest {
  @TempDir Path temp;

  /** A 4 s 320x240 25 fps clip with a 440 Hz tone, keyframes every second; {@code args}: codecs and container. */
  private Path make(String name, String... args) throws Exception {
    String ffmpeg = ExternalTools.requireFfmpeg();
    Path out = temp.resolve(name);
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "testsrc=size=320x240:rate=25:duration=4", "-f", "lavfi", "-i", "sine=frequency=440:duration=4",
        "-g", "25", "-pix_fmt", "yuv420p", "-threads", "1"));
    command.addAll(List.of(args));
    command.add(out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), log);
    return out;
  }

  private Path clip(String kind) throws Exception {
    String[] h264 = {"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2"};
    return switch (kind) {
      case "h264-aac" -> make(kind + ".mp4", concat(h264, "-c:a", "aac"));
      case "h264-aac-faststart" -> make(kind + ".mp4", concat(h264, "-c:a", "aac", "-movflags", "+faststart"));
      // access unit delimiters and SPS/PPS in every keyframe sample (as after remuxing a broadcast TS)
      case "h264-aud-inband" -> make(kind + ".mp4", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2",
          "-x264-params", "aud=1:repeat-headers=1", "-c:a", "aac");
      case "hevc-ac3" -> make(kind + ".mp4", "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1",
          "-x265-params", "log-level=error:bframes=2:keyint=25", "-c:a", "ac3");
      case "h264-eac3" -> make(kind + ".mp4", concat(h264, "-c:a", "eac3"));
      // AC-3: AAC's priming has no edit list in a fragmented file, so its audio would start after the video
      case "fragmented" -> make(kind + ".mp4", concat(h264, "-c:a", "ac3", "-movflags",
          "frag_keyframe+empty_moov+default_base_moof+delay_moov"));
      case "aac-only" -> make(kind + ".mp4", "-map", "1", "-c:a", "aac");
      case "two-languages" -> make(kind + ".mp4", concat(h264, "-map", "0", "-map", "1", "-map", "1", "-c:a", "aac",
          "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra"));
      default -> throw new AssertionError(kind);
    };
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static HlsFilePackager.Builder fmp4(boolean copy) {
    return HlsFilePackager.builder().segmentDuration(Duration.ofSeconds(1)).segmentFormat(SegmentFormat.FMP4)
        .dash(true).packetCopy(copy);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h264-aac", "h264-aac-faststart", "h264-aud-inband", "hevc-ac3", "h264-eac3",
      "fragmented", "aac-only", "two-languages"})
  void copiedSegmentsAreTheMuxedOnesByteForByte(String kind) throws Exception {
    Path input = clip(kind);
    HlsFilePackager.Result copied = fmp4(true).build().packageFiles(List.of(input), temp.resolve("copy"));
    HlsFilePackager.Result muxed = fmp4(false).build().packageFiles(List.of(input), temp.resolve("mux"));
    assertTrue(copied.packetsCopied(), kind + " qualifies for sample copy");
    assertFalse(muxed.packetsCopied());
    assertTrue(copied.timings().size() >= 3, "segments: " + copied.timings());
    FileTrees.assertSameFiles(temp.resolve("mux"), temp.resolve("copy"), 7);
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("copy/master.m3u8")), "ffmpeg decode errors");
    assertEquals("", HlsOutput.ffmpegErrors(temp.resolve("copy/manifest.mpd")), "ffmpeg decode errors (DASH)");
  }

  /** Samples that change on the way (a NAL unit the muxer trims or keeps unlike the file) are muxed instead. */
  @ParameterizedTest
  @ValueSource(strings = {"zero-ending-nal", "nal-type-0"})
  void samplesThatWouldChangeAreMuxedInstead(String damage) throws Exception {
    byte[] mp4 = Files.readAllBytes(clip("h264-aud-inband"));
    // a later access unit delimiter: 4-byte length 2, nal_unit_type 9, primary_pic_type
    int aud = indexOf(mp4, new byte[] {0, 0, 0, 2, 0x09}, mp4.length * 2 / 3);
    switch (damage) {
      case "zero-ending-nal" -> mp4[aud + 5] = 0; // the muxer trims the zero (and drops the AUD)
      case "nal-type-0" -> mp4[aud + 4] = 0; // unspecified NAL type: the muxer keeps it, unlike an AUD
      default -> throw new AssertionError(damage);
    }
    Path input = temp.resolve("changed.mp4");
    Files.write(input, mp4);
    HlsFilePackager.Result result = fmp4(true).build().packageFiles(List.of(input), temp.resolve("out"));
    assertFalse(result.packetsCopied(), damage);
    fmp4(false).build().packageFiles(List.of(input), temp.resolve("mux"));
    FileTrees.assertSameFiles(temp.resolve("mux"), temp.resolve("out"), 7);
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(4, files.count(), "the copy attempt's staging directory is gone: " + temp);
    }
  }

  @Test
  void aTruncatedFileFailsAsWhenMuxed() throws Exception {
    byte[] mp4 = Files.readAllBytes(clip("h264-aac-faststart"));
    Path input = temp.resolve("truncated.mp4");
    Files.write(input, Arrays.copyOf(mp4, mp4.length * 3 / 4));
    MediaException copied = assertThrows(MediaException.class,
        () -> fmp4(true).build().packageFiles(List.of(input), temp.resolve("copy")));
    MediaException muxed = assertThrows(MediaException.class,
        () -> fmp4(false).build().packageFiles(List.of(input), temp.resolve("mux")));
    assertEquals(MediaException.Kind.TRUNCATED, copied.kind(), copied.getMessage());
    assertEquals(muxed.kind(), copied.kind());
    assertFalse(Files.exists(temp.resolve("copy")));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(2, files.count(), "no staging directory left: " + temp);
    }
  }

  @Test
  void outputThatNeedsTheMuxerIsNotCopied() throws Exception {
    Path input = clip("h264-aac");
    assertFalse(fmp4(true).iFrames(true).build().packageFiles(List.of(input), temp.resolve("i")).packetsCopied(),
        "I-frame playlists need a fragment per keyframe");
    assertFalse(HlsFilePackager.builder().segmentFormat(SegmentFormat.FMP4).playlistType(HlsPlaylistType.EVENT).build()
        .packageFiles(List.of(input), temp.resolve("e")).packetsCopied());
    assertFalse(HlsFilePackager.builder().build().packageFiles(List.of(input), temp.resolve("ts")).packetsCopied(),
        "MP4 into TS segments is muxed");
  }

  @Test
  void abrRenditionsAreCopiedEach() throws Exception {
    Path input = clip("h264-aac");
    HlsFilePackager.Result copied = fmp4(true).build().packageFiles(List.of(input, input), temp.resolve("copy"));
    fmp4(false).build().packageFiles(List.of(input, input), temp.resolve("mux"));
    assertTrue(copied.packetsCopied());
    FileTrees.assertSameFiles(temp.resolve("mux"), temp.resolve("copy"), 7);
  }

  /**
   * With sample encryption (cenc-like: the size kept, per-sample IVs, subsamples for video) the samples are read
   * from the file as they are and encrypted: every file equals the muxed path's, for every MP4 shape, including the
   * clear lead segment and a key change; and the encryptor did run (the segments differ from the clear ones).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h264-aac", "h264-aac-faststart", "h264-aud-inband", "hevc-ac3", "h264-eac3",
      "fragmented", "aac-only", "two-languages"})
  void encryptedCopiedSegmentsAreTheMuxedOnesByteForByte(String kind) throws Exception {
    Path input = clip(kind);
    FakeCenc copyKeys = new FakeCenc();
    FakeCenc muxKeys = new FakeCenc();
    HlsFilePackager.Result copied = fmp4(true).sampleEncryption(copyKeys).build()
        .packageFiles(List.of(input), temp.resolve("copy"));
    HlsFilePackager.Result muxed = fmp4(false).sampleEncryption(muxKeys).build()
        .packageFiles(List.of(input), temp.resolve("mux"));
    assertTrue(copied.packetsCopied(), kind + " qualifies for sample copy with encryption");
    assertFalse(muxed.packetsCopied());
    FileTrees.assertSameFiles(temp.resolve("mux"), temp.resolve("copy"), 7);
    assertEquals(muxKeys.samples, copyKeys.samples, "samples encrypted");
    assertTrue(copyKeys.samples > 50, "samples encrypted: " + copyKeys.samples);
    fmp4(true).build().packageFiles(List.of(input), temp.resolve("clear"));
    List<Path> segments;
    try (Stream<Path> files = Files.walk(temp.resolve("copy"))) {
      segments = files.filter(f -> f.toString().endsWith(".m4s")).sorted().toList();
    }
    int differing = 0;
    for (Path segment : segments) {
      Path clear = temp.resolve("clear").resolve(temp.resolve("copy").relativize(segment));
      if (!Arrays.equals(Files.readAllBytes(clear), Files.readAllBytes(segment))) {
        differing++;
      }
    }
    assertTrue(differing >= segments.size() / 2, differing + " of " + segments.size() + " segments encrypted");
  }

  @Test
  void anEncryptedCopyOfSamplesThatWouldChangeIsMuxedInstead() throws Exception {
    byte[] mp4 = Files.readAllBytes(clip("h264-aud-inband"));
    int aud = indexOf(mp4, new byte[] {0, 0, 0, 2, 0x09}, mp4.length * 2 / 3);
    mp4[aud + 5] = 0; // a NAL unit ending in a zero byte: the muxer trims it
    Path input = temp.resolve("changed.mp4");
    Files.write(input, mp4);
    HlsFilePackager.Result result = fmp4(true).sampleEncryption(new FakeCenc()).build()
        .packageFiles(List.of(input), temp.resolve("out"));
    assertFalse(result.packetsCopied());
    fmp4(false).sampleEncryption(new FakeCenc()).build().packageFiles(List.of(input), temp.resolve("mux"));
    FileTrees.assertSameFiles(temp.resolve("mux"), temp.resolve("out"), 7);
  }

  @Test
  void anEncryptedCopyOfATruncatedFileFailsAsWhenMuxed() throws Exception {
    byte[] mp4 = Files.readAllBytes(clip("h264-aac-faststart"));
    Path input = temp.resolve("truncated.mp4");
    Files.write(input, Arrays.copyOf(mp4, mp4.length * 3 / 4));
    MediaException copied = assertThrows(MediaException.class, () -> fmp4(true).sampleEncryption(new FakeCenc())
        .build().packageFiles(List.of(input), temp.resolve("copy")));
    MediaException muxed = assertThrows(MediaException.class, () -> fmp4(false).sampleEncryption(new FakeCenc())
        .build().packageFiles(List.of(input), temp.resolve("mux")));
    assertEquals(MediaException.Kind.TRUNCATED, copied.kind(), copied.getMessage());
    assertEquals(muxed.kind(), copied.kind());
    assertFalse(Files.exists(temp.resolve("copy")));
  }

  /**
   * A size-keeping stand-in for ISO Common Encryption (the real ciphers live in iptv-drm): segment 0 clear, key
   * k1 for segment 1, k2 from 2; each sample's bytes after a clear leader (video: 5 bytes, one subsample) XORed
   * with a stream derived from its 8-byte IV, a counter per segment.
   */
  private static final class FakeCenc implements SampleEncryption {
    int samples;

    @Override
    public SegmentSampleEncryptor defaultEncryptor(SegmentContext first) {
      return encryptor(1);
    }

    @Override
    public SegmentSampleEncryptor forSegment(SegmentContext context) {
      return context.sequence() == 0 ? null : encryptor(context.sequence());
    }

    private SegmentSampleEncryptor encryptor(long sequence) {
      byte key = (byte) (sequence < 2 ? 1 : 2);
      return new SegmentSampleEncryptor() {
        long iv = sequence << 32;

        @Override
        public SampleEncryptionScheme scheme() {
          return SampleEncryptionScheme.CENC;
        }

        @Override
        public byte[] keyId() {
          byte[] kid = new byte[16];
          Arrays.fill(kid, key);
          return kid;
        }

        @Override
        public byte[] constantIv() {
          return null;
        }

        @Override
        public int perSampleIvSize() {
          return 8;
        }

        @Override
        public List<SegmentProtection> protections() {
          return List.of(new SegmentProtection("SAMPLE-AES-CTR", "keys/k" + key + ".key", null,
              "identity", null));
        }

        @Override
        public List<ByteSlice> psshBoxes() {
          return List.of();
        }

        @Override
        public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) {
          samples++;
          byte[] sampleIv = ByteBuffer.allocate(8).putLong(iv++).array();
          int clear = format.type() == TrackType.VIDEO ? Math.min(5, sample.length()) : 0;
          byte[] out = sample.toByteArray();
          for (int i = clear; i < out.length; i++) {
            out[i] ^= (byte) (key * 31 + sampleIv[7] + i);
          }
          int[] subsamples = clear == 0 ? null : new int[] {clear, out.length - clear};
          return new EncryptedSample(ByteSlice.wrap(out), sampleIv, subsamples);
        }
      };
    }
  }



  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not found after " + from);
  }
}
