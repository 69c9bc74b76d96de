package io.iptv.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * The committed MPEG-TS test clips ({@code src/test/resources/media/ts/} of iptv-core, shipped in its
 * test-jar), found on the test classpath as resources {@code media/ts/NAME}. See the README next to the clips
 * for what each one exercises.
 *
 * <p>Thread-safe (stateless apart from a temp-file copy made when the clips live inside a jar).
 *
 * <pre>{@code
 * byte[] ts = TestMedia.bytes("h264_aac.ts");
 * Path forFfprobe = TestMedia.path("h264_aac.ts");
 * }</pre>
 */
public final class TestMedia {
  /** Classpath folder of the MPEG-TS clips. */
  public static final String TS_RESOURCE_DIR = "media/ts/";

  /** Every committed MPEG-TS clip (188-byte packets unless the name ends in {@code .m2ts}). */
  public static final List<String> TS_CLIPS = List.of(
      "h264_aac.ts",
      "h265_ac3.ts",
      "h264_eac3.ts",
      "h264_mp2.ts",
      "h264_mp3.ts",
      "mpeg2_mp2.ts",
      "two_programs.ts",
      "h264_aac_pts_wrap.ts",
      "h264_aac_cbr.ts",
      "h264_aac_multilang.ts",
      "h264_ac3_m2ts.m2ts");

  private TestMedia() {}

  /**
   * A file-system path of clip {@code name}; when the clip is inside a jar it is copied to a temp file
   * first (external tools need a real file).
   *
   * @throws IllegalArgumentException if there is no such clip on the classpath
   */
  public static Path path(String name) {
    URL url = url(name);
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("bad resource URL " + url, e);
      }
    }
    try (InputStream in = url.openStream()) {
      Path copy = Files.createTempFile("iptv-media-", "-" + name);
      copy.toFile().deleteOnExit();
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + url, e);
    }
  }

  /** The bytes of clip {@code name}. */
  public static byte[] bytes(String name) {
    try (InputStream in = url(name).openStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read clip " + name, e);
    }
  }

  /** Whether {@code name} uses 192-byte (M2TS) packets. */
  public static boolean isM2ts(String name) {
    return name.endsWith(".m2ts");
  }

  private static URL url(String name) {
    Objects.requireNonNull(name, "name");
    URL url = TestMedia.class.getClassLoader().getResource(TS_RESOURCE_DIR + name);
    if (url == null) {
      throw new IllegalArgumentException("no test clip " + TS_RESOURCE_DIR + name + " on the classpath");
    }
    return url;
  }
}
