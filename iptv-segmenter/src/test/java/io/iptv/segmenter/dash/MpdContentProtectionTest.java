package io.iptv.segmenter.dash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** DASH signalling of Common Encryption (ISO/IEC 23001-7 §11), read back with a namespace-aware XML parser. */
class MpdContentProtectionTest {
  private static final String CENC_NS = "urn:mpeg:cenc:2013";
  private static final String MPD_NS = "urn:mpeg:dash:schema:mpd:2011";

  @Test
  void writesMp4ProtectionWithDefaultKidAndOneDescriptorPerPssh() throws Exception {
    byte[] pssh = ByteBuffer.allocate(32).putInt(32).put("pssh".getBytes(StandardCharsets.US_ASCII)).putInt(0)
        .put(HexFormat.of().parseHex("edef8ba979d64acea3c827dcd51d21ed")).putInt(0).array();
    TrackFormat video = TrackFormat.builder(1, Codec.H264).type(TrackType.VIDEO).codecString("avc1.64001f").build();
    TrackFormat audio = TrackFormat.builder(2, Codec.AAC).type(TrackType.AUDIO).codecString("mp4a.40.2")
        .sampleRate(48_000).channels(2).build();
    List<DashRepresentation.Segment> segments = List.of(new DashRepresentation.Segment(0, 180_000));
    ContentProtection protection = new ContentProtection("cbcs",
        ContentProtection.uuid("0123456789abcdef0123456789abcdef"), List.of(ByteSlice.wrap(pssh)));
    String mpd = MpdWriter.builder().type(MpdWriter.Type.STATIC).mediaPresentationDuration(Duration.ofSeconds(2))
        .build().write(List.of(
            new DashRepresentation("v", video, 90_000, 1_000_000, "v/init.mp4", "v/$Number$.m4s", 0, 0, segments,
                protection),
            new DashRepresentation("a", audio, 48_000, 96_000, "a/init.mp4", "a/$Number$.m4s", 0, 0, segments)));
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
    NodeList representations = doc.getElementsByTagNameNS(MPD_NS, "Representation");
    Element v = (Element) representations.item(0);
    NodeList cps = v.getElementsByTagNameNS(MPD_NS, "ContentProtection");
    assertEquals(2, cps.getLength(), mpd);
    Element mp4 = (Element) cps.item(0);
    assertEquals("urn:mpeg:dash:mp4protection:2011", mp4.getAttribute("schemeIdUri"));
    assertEquals("cbcs", mp4.getAttribute("value"));
    assertEquals("01234567-89ab-cdef-0123-456789abcdef", mp4.getAttributeNS(CENC_NS, "default_KID"));
    Element drm = (Element) cps.item(1);
    assertEquals("urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed", drm.getAttribute("schemeIdUri"));
    assertArrayEquals(pssh, Base64.getDecoder().decode(
        drm.getElementsByTagNameNS(CENC_NS, "pssh").item(0).getTextContent()));
    Element a = (Element) representations.item(1);
    assertEquals(0, a.getElementsByTagNameNS(MPD_NS, "ContentProtection").getLength(), "clear audio");
    assertFalse(MpdWriter.builder().type(MpdWriter.Type.STATIC).mediaPresentationDuration(Duration.ofSeconds(2))
        .build().write(List.of(new DashRepresentation("a", audio, 48_000, 96_000, "a/init.mp4", "a/$Number$.m4s",
            0, 0, segments))).contains("cenc"), "no cenc namespace without protection");
    assertNull(ContentProtection.systemId(ByteSlice.wrap(new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e'})));
  }
}
