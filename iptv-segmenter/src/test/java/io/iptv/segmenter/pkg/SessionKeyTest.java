package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.pipeline.SegmentProtection;
import io.iptv.core.pipeline.SegmentTransform;
import io.iptv.core.pipeline.TransformedSegment;
import io.iptv.core.testing.TestMedia;
import io.iptv.segmenter.hls.HlsKey;
import io.iptv.segmenter.hls.HlsPlaylistParser;
import io.iptv.segmenter.hls.MultivariantPlaylist;
import io.iptv.segmenter.hls.PlaylistWriter;
import io.iptv.segmenter.input.MediaInput;
import io.iptv.segmenter.input.MediaInputs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXT-X-SESSION-KEY (RFC 8216 §4.3.4.5): model, writer, parser and the packager's option. */
class SessionKeyTest {
  private static final HlsKey IDENTITY = new HlsKey("SAMPLE-AES-CTR", "keys/00112233445566778899aabbccddeeff.key",
      null, "identity", "1");
  private static final HlsKey WIDEVINE = new HlsKey("SAMPLE-AES-CTR", "data:text/plain;base64,AAAAAA==",
      "0x0f0e0d0c0b0a09080706050403020100", "urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed", "1");

  /** Leaves segment 0 clear and "protects" the others with one key (the bytes stay as they are). */
  private static final SegmentTransform MARKING = (context, segment) -> new TransformedSegment(segment,
      context.sequence() == 0 ? null : new SegmentProtection("AES-128", "keys/k1.key", null, "identity", "1"));

  private static String run(HlsPackager.Builder builder) throws MediaException {
    InMemorySegmentSink sink = new InMemorySegmentSink();
    HlsPackager packager = builder.segmentDuration(Duration.ofSeconds(1)).segmentTransform(MARKING).build(sink);
    try (MediaInput in = MediaInputs.open(TestMedia.path("h264_aac.ts"))) {
      in.readAll(packager);
    }
    packager.finish();
    return new String(sink.get("master.m3u8").toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void writerAndParserRoundTrip() throws MediaException {
    MultivariantPlaylist master = MultivariantPlaylist.builder()
        .addSessionKey(IDENTITY).addSessionKey(WIDEVINE)
        .addVariant(MultivariantPlaylist.Variant.builder("stream/index.m3u8", 500_000).build())
        .build();
    String text = PlaylistWriter.defaults().write(master);
    assertEquals("#EXTM3U\n#EXT-X-VERSION:5\n"
        + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES-CTR,URI=\"keys/00112233445566778899aabbccddeeff.key\","
        + "KEYFORMAT=\"identity\",KEYFORMATVERSIONS=\"1\"\n"
        + "#EXT-X-SESSION-KEY:METHOD=SAMPLE-AES-CTR,URI=\"data:text/plain;base64,AAAAAA==\","
        + "IV=0x0f0e0d0c0b0a09080706050403020100,KEYFORMAT=\"urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed\","
        + "KEYFORMATVERSIONS=\"1\"\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=500000\nstream/index.m3u8\n", text);
    MultivariantPlaylist parsed = HlsPlaylistParser.builder().build()
        .parseMultivariant(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(IDENTITY, WIDEVINE), parsed.sessionKeys());
    assertEquals(master, parsed);
    // Without session keys the playlist stays version 1.
    assertTrue(PlaylistWriter.defaults().write(master.withSessionKeys(List.of())).startsWith("#EXTM3U\n#EXT-X-VERSION:1\n"));
    assertEquals(2, PlaylistWriter.requiredVersion(master.withSessionKeys(List.of(
        new HlsKey("AES-128", "k", "0x01", null, null)))));
  }

  @Test
  void parserRejectsNoneAndDuplicates() {
    HlsPlaylistParser parser = HlsPlaylistParser.builder().build();
    String variant = "#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n";
    assertThrows(MediaException.class, () -> parser.parseMultivariant(
        ("#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=NONE\n" + variant).getBytes(StandardCharsets.UTF_8)));
    String line = "#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k\"\n";
    assertThrows(MediaException.class, () -> parser.parseMultivariant(
        ("#EXTM3U\n" + line + line + variant).getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> MultivariantPlaylist.builder().addSessionKey(IDENTITY).addSessionKey(IDENTITY).build());
  }

  @Test
  void packagerEmitsTheFirstProtectedSegmentsKeysWhenAsked() throws MediaException {
    String master = run(HlsPackager.builder().sessionKeys(true));
    MultivariantPlaylist parsed = HlsPlaylistParser.builder().build()
        .parseMultivariant(master.getBytes(StandardCharsets.UTF_8));
    // The multivariant playlist is at the channel root: the channel-relative URI is kept as it is.
    assertEquals(List.of(new HlsKey("AES-128", "keys/k1.key", null, "identity", "1")), parsed.sessionKeys(), master);
    assertFalse(run(HlsPackager.builder()).contains("EXT-X-SESSION-KEY"));
  }
}
