package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.pipeline.EncryptedSample;
import io.iptv.core.pipeline.SampleEncryption;
import io.iptv.core.pipeline.SampleEncryptionScheme;
import io.iptv.core.pipeline.SegmentContext;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentSampleEncryptor;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MediaPlaylist;
import io.iptv.segmenter.hls.MediaSegment;
import io.iptv.segmenter.ts.TsDemuxer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TS path of {@link HlsPackager.Builder#sampleEncryption}: samples go through the encryptor before muxing
 * (its output, not the input, is muxed), the PMT switches to the SAMPLE-AES stream types in encrypted segments
 * only, and the encryptor's first protection becomes the EXT-X-KEY.
 */
class SampleEncryptionPackagingTest {
  private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-05-01T12:00:00Z"));
  /** filler_data NAL unit (H.264 nal_unit_type 12) the fake encryptor appends to every access unit. */
  private static final byte[] MARKER = {0, 0, 1, 0x0C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x80};

  /** Segment 0 clear, then key k1 for 1, k2 from 2; appends {@link #MARKER} to video samples. */
  private static final class Fake implements SampleEncryption {
    final List<SegmentContext> seen = new ArrayList<>();
    int videoSamples;

    @Override
    public SegmentSampleEncryptor forSegment(SegmentContext context) {
      seen.add(context);
      long s = context.sequence();
      if (s == 0) {
        return null;
      }
      String key = s < 2 ? "k1" : "k2";
      return new SegmentSampleEncryptor() {
        @Override
        public SampleEncryptionScheme scheme() {
          return SampleEncryptionScheme.SAMPLE_AES;
        }

        @Override
        public byte[] keyId() {
          return new byte[16];
        }

        @Override
        public byte[] constantIv() {
          return new byte[16];
        }

        @Override
        public int perSampleIvSize() {
          return 0;
        }

        @Override
        public List<SegmentProtection> protections() {
          return List.of(new SegmentProtection("SAMPLE-AES", "keys/" + key + ".key",
              "0x000102030405060708090a0b0c0d0e0f", "identity", null));
        }

        @Override
        public List<ByteSlice> psshBoxes() {
          return List.of();
        }

        @Override
        public EncryptedSample encrypt(TrackFormat format, ByteSlice sample, int nalLengthSize) {
          if (format.codec() != Codec.H264) {
            return new EncryptedSample(sample, null, null);
          }
          videoSamples++;
          byte[] out = new byte[sample.length() + MARKER.length];
          sample.copyTo(out, 0);
          System.arraycopy(MARKER, 0, out, sample.length(), MARKER.length);
          return new EncryptedSample(ByteSlice.wrap(out), null, null);
        }
      };
    }
  }

  @Test
  void samplesAreEncryptedBeforeMuxingAndSignalled() throws Exception {
    Fake fake = new Fake();
    InMemorySegmentSink sink = run(HlsPackager.builder().sampleEncryption(fake));
    String text = new String(sink.get("stream/index.m3u8").toByteArray(), StandardCharsets.UTF_8);
    MediaPlaylist playlist = HlsPlaylistParser.builder().build().parseMedia(sink.get("stream/index.m3u8")
        .toByteArray());
    assertTrue(playlist.segments().size() >= 3, text);
    int markers = 0;
    for (int i = 0; i < playlist.segments().size(); i++) {
      MediaSegment s = playlist.segments().get(i);
      byte[] segment = sink.get("stream/" + s.uri()).toByteArray();
      int pmtStreamType = segment[188 + 17] & 0xFF; // the first ES entry: video
      if (i == 0) {
        assertNull(s.key(), "clear lead");
        assertEquals(0x1B, pmtStreamType);
      } else {
        assertEquals("SAMPLE-AES", s.key().method());
        assertEquals(i < 2 ? "../keys/k1.key" : "../keys/k2.key", s.key().uri());
        assertEquals(0xDB, pmtStreamType, "segment " + i);
      }
      markers += count(payloadOf(segment, 0x100), MARKER);
    }
    assertEquals(fake.videoSamples, markers, "the encryptor's output is what is muxed");
    assertTrue(fake.videoSamples >= 40, "2 of 3 segments encrypted: " + fake.videoSamples);
    assertEquals(2, count(text, "#EXT-X-KEY:"), text);
    assertTrue(text.contains("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"../keys/k1.key\","
        + "IV=0x000102030405060708090a0b0c0d0e0f,KEYFORMAT=\"identity\"\n"), text);
    assertTrue(text.contains("#EXT-X-VERSION:5"), text);
    assertEquals("stream", fake.seen.get(0).rendition());
  }

  @Test
  void aSchemeThatDoesNotFitTheSegmentFormatIsRefusedNotWrittenWrongly() {
    // SAMPLE-AES is MPEG-TS only: an fMP4 rendition must not get SAMPLE-AES samples under ISO signalling.
    MediaException e = assertThrows(MediaException.class,
        () -> run(HlsPackager.builder().segmentFormat(SegmentFormat.FMP4).sampleEncryption(new Fake())));
    assertEquals(MediaException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("SAMPLE_AES"), e.getMessage());
  }

  @Test
  void builderRefusesTwoEncryptionsAndTsIFramePlaylists() {
    SampleEncryption none = context -> null;
    SegmentTransform transform = (context, segment) -> new io.iptv.core.pipeline.TransformedSegment(segment, null);
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().sampleEncryption(none)
        .segmentTransform(transform).build(new InMemorySegmentSink()));
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().sampleEncryption(none)
        .iFramePlaylistName("iframes.m3u8").build(new InMemorySegmentSink()));
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().sampleEncryption(none)
        .sampleEncryption(none));
  }

  private static InMemorySegmentSink run(HlsPackager.Builder builder) throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = builder.segmentDuration(Duration.ofMillis(500)).clock(CLOCK).build(sink);
    byte[] a = TestMedia.bytes("h264_aac.ts");
    TsDemuxer demuxer = TsDemuxer.builder().build(packager);
    demuxer.feed(a, 0, a.length);
    demuxer.finish();
    return sink;
  }

  /** The concatenated TS packet payloads of {@code pid} (ISO/IEC 13818-1 §2.4.3.2). */
  private static byte[] payloadOf(byte[] ts, int pid) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int p = 0; p + 188 <= ts.length; p += 188) {
      int packetPid = (ts[p + 1] & 0x1F) << 8 | ts[p + 2] & 0xFF; // PID (13)
      int adaptationFieldControl = (ts[p + 3] >> 4) & 0x03; // adaptation_field_control (2)
      if (packetPid != pid || (adaptationFieldControl & 1) == 0) {
        continue;
      }
      int start = 4 + ((adaptationFieldControl & 2) != 0 ? 1 + (ts[p + 4] & 0xFF) : 0);
      out.write(ts, p + start, 188 - start);
    }
    return out.toByteArray();
  }

  private static int count(byte[] hay, byte[] needle) {
    int n = 0;
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      n++;
    }
    return n;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
