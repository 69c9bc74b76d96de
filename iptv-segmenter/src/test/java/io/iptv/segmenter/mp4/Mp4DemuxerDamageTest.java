package io.iptv.segmenter.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged input: truncated at many points, garbage, empty, without moov, with corrupted bytes. Only
 * {@link MediaException} may come out, quickly. The truncation tests need ffmpeg for their source file.
 */
class Mp4DemuxerDamageTest {
  @TempDir Path dir;

  private Path source(String name, String... movflags) throws Exception {
    Path out = dir.resolve(name);
    String[] base = {"-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i",
        "sine=sample_rate=48000", "-t", "2", "-c:v", "libx264", "-bf", "2", "-g", "10", "-c:a", "aac"};
    String[] args = Arrays.copyOf(base, base.length + movflags.length + 1);
    System.arraycopy(movflags, 0, args, base.length, movflags.length);
    args[args.length - 1] = out.toString();
    Mp4TestSupport.ffmpeg(args);
    return out;
  }

  private MediaException failure(byte[] content) throws Exception {
    Path file = Files.write(dir.resolve("damaged.mp4"), content);
    return assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(MediaException.class, () -> Mp4TestSupport.demux(file)));
  }

  /** Reads {@code content}; only a MediaException or a normal end are acceptable. */
  private void survives(byte[] content) throws Exception {
    Path file = Files.write(dir.resolve("damaged.mp4"), content);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try {
        List<StreamEvent> events = Mp4TestSupport.demux(file);
        assertTrue(events.get(events.size() - 1) instanceof StreamEvent.EndOfStream);
      } catch (MediaException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
      }
    });
  }

  @Test
  void truncatedMoovAtEnd() throws Exception {
    byte[] whole = Files.readAllBytes(source("end.mp4"));
    for (int i = 1; i < 12; i++) {
      int cut = (int) ((long) whole.length * i / 12) + 3;
      MediaException e = failure(Arrays.copyOf(whole, cut));
      assertEquals(MediaException.Kind.TRUNCATED, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void truncatedFaststart() throws Exception {
    byte[] whole = Files.readAllBytes(source("start.mp4", "-movflags", "+faststart"));
    for (int i = 1; i < 12; i++) {
      int cut = (int) ((long) whole.length * i / 12) + 3;
      MediaException e = failure(Arrays.copyOf(whole, cut));
      assertEquals(MediaException.Kind.TRUNCATED, e.kind(), e.getMessage());
    }
    for (int cut = 1; cut < 64; cut += 7) { // inside ftyp / moov headers
      failure(Arrays.copyOf(whole, cut));
    }
  }

  @Test
  void truncatedFragmented() throws Exception {
    byte[] whole = Files.readAllBytes(source("frag.mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"));
    for (int i = 1; i < 24; i++) {
      survives(Arrays.copyOf(whole, (int) ((long) whole.length * i / 24) + 3));
    }
    failure(Arrays.copyOf(whole, whole.length - 5)); // inside the last mdat
  }

  @Test
  void emptyFile() throws Exception {
    MediaException e = failure(new byte[0]);
    assertEquals(MediaException.Kind.TRUNCATED, e.kind());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void garbage() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + random.nextInt(5000)];
      random.nextBytes(junk);
      failure(junk);
    }
    MediaException e = failure("this is not an mp4 file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertTrue(e.getMessage().contains("not an MP4") || e.getMessage().contains("invalid box"), e.getMessage());
  }

  @Test
  void noMoov() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(32 + 1000);
    b.putInt(24).put("ftyp".getBytes()).put("isom".getBytes()).putInt(512).put("isomiso2".getBytes());
    b.putInt(8 + 1000).put("mdat".getBytes());
    MediaException e = failure(b.array());
    assertEquals(MediaException.Kind.MALFORMED, e.kind());
    assertTrue(e.getMessage().contains("no moov"), e.getMessage());
  }

  @Test
  void corruptedMoovNeverEscapesUnchecked() throws Exception {
    byte[] whole = Files.readAllBytes(source("fuzz.mp4", "-movflags", "+faststart"));
    int moovEnd = 0;
    for (int pos = 0; pos + 8 <= whole.length; ) { // find the end of moov (it is first or second)
      int size = ByteBuffer.wrap(whole, pos, 8).getInt();
      String type = new String(whole, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
      pos += size;
      if (type.equals("moov")) {
        moovEnd = pos;
        break;
      }
    }
    assertTrue(moovEnd > 0);
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] damaged = whole.clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        damaged[random.nextInt(moovEnd)] = (byte) random.nextInt(256);
      }
      survives(damaged);
    }
  }

  @Test
  void corruptedFragmentsNeverEscapeUnchecked() throws Exception {
    byte[] whole = Files.readAllBytes(source("fuzzfrag.mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof"));
    Random random = new Random(11);
    for (int i = 0; i < 150; i++) {
      byte[] damaged = whole.clone();
      for (int f = 0; f < 4; f++) {
        damaged[random.nextInt(whole.length)] = (byte) random.nextInt(256);
      }
      survives(damaged);
    }
  }

  @Test
  void samplesBeforeTheCutAreDelivered() throws Exception {
    byte[] whole = Files.readAllBytes(source("partial.mp4", "-movflags", "+faststart"));
    Path file = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length * 2 / 3));
    List<StreamEvent> events = new java.util.ArrayList<>();
    try (Mp4Demuxer demuxer = Mp4Demuxer.open(file)) {
      assertThrows(MediaException.class, () -> demuxer.readAll(events::add));
    }
    assertTrue(events.stream().filter(MediaSample.class::isInstance).count() > 10);
  }
}
