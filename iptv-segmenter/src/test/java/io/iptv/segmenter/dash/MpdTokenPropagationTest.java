package io.iptv.segmenter.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.auth.TokenPropagation;
import io.iptv.core.media.Codec;
import io.iptv.core.media.TrackFormat;
import io.iptv.core.media.TrackType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@link TokenPropagation#rewriteMpd} on what {@link MpdWriter} writes, checked through an XML parser. */
class MpdTokenPropagationTest {
  private static final String TOKEN = "v1.k1.1767225600.a+b&c$d";
  private static final String ENCODED = "token=v1.k1.1767225600.a%2Bb%26c%24d";

  private static List<DashRepresentation> representations() {
    TrackFormat video = TrackFormat.builder(1, Codec.H264).type(TrackType.VIDEO).codecString("avc1.64001f").build();
    TrackFormat audio = TrackFormat.builder(2, Codec.AAC).type(TrackType.AUDIO).codecString("mp4a.40.2")
        .sampleRate(48_000).channels(2).language("eng").build();
    List<DashRepresentation.Segment> segments = List.of(new DashRepresentation.Segment(0, 180_000),
        new DashRepresentation.Segment(180_000, 180_000));
    return List.of(
        new DashRepresentation("v", video, 90_000, 1_000_000, "video/init.mp4", "video/seg-$Number%05d$.m4s", 1, 0,
            segments),
        new DashRepresentation("a", audio, 90_000, 128_000, "audio/init.mp4?v=2", "audio/seg-$Number$.m4s", 1, 0,
            segments));
  }

  @Test
  void everySegmentTemplateUrlOfAStaticMpdCarriesTheToken() throws Exception {
    String mpd = MpdWriter.builder().type(MpdWriter.Type.STATIC).mediaPresentationDuration(Duration.ofSeconds(4))
        .build().write(representations());
    String rewritten = TokenPropagation.rewriteMpd(mpd, TOKEN);

    List<String> urls = templateUrls(parse(rewritten));
    assertEquals(4, urls.size(), rewritten);
    assertEquals(List.of("video/init.mp4?" + ENCODED, "video/seg-$Number%05d$.m4s?" + ENCODED,
        "audio/init.mp4?v=2&" + ENCODED, "audio/seg-$Number$.m4s?" + ENCODED), urls);
    assertEquals(templateUrls(parse(mpd)).size(), urls.size());
    assertEquals(mpd, rewritten.replace("&amp;" + ENCODED.replace("&", "&amp;"), "")
        .replace("?" + ENCODED.replace("&", "&amp;"), ""), "nothing else changes");
    assertEquals(rewritten, TokenPropagation.rewriteMpd(rewritten, TOKEN), "a URL with a token is left alone");
  }

  @Test
  void aDynamicMpdRewritesARelativeTimingUrlButNotAnAbsoluteOne() throws Exception {
    MpdWriter.Builder base = MpdWriter.builder().type(MpdWriter.Type.DYNAMIC)
        .availabilityStartTime(Instant.parse("2026-01-01T00:00:00Z"))
        .publishTime(Instant.parse("2026-01-01T00:01:00Z"));
    String relative = TokenPropagation.rewriteMpd(base.utcTimingUrl("time?iso").build().write(representations()),
        TOKEN);
    assertEquals("time?iso&" + ENCODED, timing(parse(relative)));
    assertEquals(4, templateUrls(parse(relative)).size());

    String absolute = MpdWriter.builder().type(MpdWriter.Type.DYNAMIC).utcTimingUrl("https://time.example/iso")
        .build().write(representations());
    assertEquals("https://time.example/iso", timing(parse(TokenPropagation.rewriteMpd(absolute, TOKEN))));

    String direct = MpdWriter.builder().type(MpdWriter.Type.DYNAMIC).build().write(representations());
    String directRewritten = TokenPropagation.rewriteMpd(direct, TOKEN);
    assertEquals(timing(parse(direct)), timing(parse(directRewritten)), "a direct UTCTiming value is a time");
  }

  @Test
  void baseUrlsAndSegmentUrlsOfAHandWrittenMpd() throws Exception {
    String mpd = "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">\n"
        + "  <BaseURL>media/</BaseURL>\n"
        + "  <BaseURL serviceLocation=\"cdn\">https://cdn.example/news/</BaseURL>\n"
        + "  <BaseURL> //other.example/x/ </BaseURL>\n"
        + "  <Period><AdaptationSet><Representation id=\"1\" bandwidth=\"1\">\n"
        + "    <BaseURL>v1/?a=1&amp;b=2</BaseURL>\n"
        + "    <SegmentList><Initialization sourceURL=\"init.mp4\"/>\n"
        + "      <SegmentURL media=\"s1.m4s\" mediaRange=\"0-99\"/><SegmentURL media=\"/abs/s2.m4s\"/>\n"
        + "    </SegmentList>\n"
        + "    <SegmentBase indexRange=\"0-9\"><RepresentationIndex sourceURL=\"sidx.mp4\"/></SegmentBase>\n"
        + "  </Representation></AdaptationSet></Period>\n</MPD>\n";
    Document doc = parse(TokenPropagation.rewriteMpd(mpd, TOKEN));
    List<String> bases = texts(doc.getElementsByTagName("BaseURL"));
    assertEquals(List.of("media/?" + ENCODED, "https://cdn.example/news/", "//other.example/x/",
        "v1/?a=1&b=2&" + ENCODED), bases);
    assertEquals(List.of("init.mp4?" + ENCODED, "sidx.mp4?" + ENCODED),
        attributes(doc, "Initialization", "sourceURL", "RepresentationIndex", "sourceURL"));
    assertEquals(List.of("s1.m4s?" + ENCODED, "/abs/s2.m4s?" + ENCODED), attributes(doc, "SegmentURL", "media"));
    assertEquals("0-9", ((Element) doc.getElementsByTagName("SegmentBase").item(0)).getAttribute("indexRange"));
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> templateUrls(Document doc) {
    List<String> urls = new ArrayList<>();
    NodeList templates = doc.getElementsByTagName("SegmentTemplate");
    for (int i = 0; i < templates.getLength(); i++) {
      Element t = (Element) templates.item(i);
      urls.add(t.getAttribute("initialization"));
      urls.add(t.getAttribute("media"));
    }
    assertTrue(!urls.isEmpty());
    return urls;
  }

  private static String timing(Document doc) {
    return ((Element) doc.getElementsByTagName("UTCTiming").item(0)).getAttribute("value");
  }

  private static List<String> texts(NodeList nodes) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().strip());
    }
    return texts;
  }

  private static List<String> attributes(Document doc, String... elementAndAttribute) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < elementAndAttribute.length; i += 2) {
      NodeList nodes = doc.getElementsByTagName(elementAndAttribute[i]);
      for (int j = 0; j < nodes.getLength(); j++) {
        values.add(((Element) nodes.item(j)).getAttribute(elementAndAttribute[i + 1]));
      }
    }
    return values;
  }
}
