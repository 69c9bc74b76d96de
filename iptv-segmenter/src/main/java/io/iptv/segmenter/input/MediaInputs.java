package io.iptv.segmenter.input;

import io.iptv.core.MediaException;
import io.iptv.segmenter.es.SampleBufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens media files by content (not by name): MPEG-TS (sync bytes at 188/192/204 spacing) or ISO BMFF
 * (an {@code ftyp}, {@code moov}, {@code styp} or similar box first).
 *
 * <pre>{@code
 * try (MediaInput input = MediaInputs.open(Path.of("in.ts"))) { input.readAll(emitter); }
 * }</pre>
 */
public final class MediaInputs {
  private MediaInputs() {}

  /** Container formats recognised by {@link #detect}. */
  public enum Container {
    /** MPEG transport stream. */
    MPEG_TS,
    /** ISO base media file format (MP4, fragmented MP4). */
    MP4,
    /** Anything else. */
    UNKNOWN
  }

  /** Opens {@code file} with the default program (TS). */
  public static MediaInput open(Path file) throws MediaException {
    return open(file, 0);
  }

  /** Opens {@code file}; {@code programNumber} selects a TS program (0: default). */
  public static MediaInput open(Path file, int programNumber) throws MediaException {
    return open(file, programNumber, null, null);
  }

  /**
   * As {@link #open(Path, int)}, with the sample arrays lent from pools, for a consumer that gives them back
   * ({@link io.iptv.segmenter.es.SampleRecycler}): an MPEG-TS file's video access units from {@code tsVideo}
   * (see {@link SampleBufferPool}), an MP4 file's video and pass-through payloads from {@code mp4Payloads} (see
   * {@link PayloadArrays}). Either may be null: that container's samples are then allocated.
   */
  public static MediaInput open(Path file, int programNumber, SampleBufferPool tsVideo, PayloadArrays mp4Payloads)
      throws MediaException {
    Container container = detect(file);
    switch (container) {
      case MPEG_TS:
        return new TsFileInput(file, programNumber, tsVideo);
      case MP4:
        return mp4Payloads != null ? io.iptv.segmenter.mp4.Mp4Demuxer.open(file, mp4Payloads)
            : io.iptv.segmenter.mp4.Mp4Demuxer.open(file);
      default:
        throw MediaException.malformed("not an MPEG-TS or MP4 file: " + file.getFileName());
    }
  }

  /** Looks at the first bytes of {@code file}. */
  public static Container detect(Path file) throws MediaException {
    byte[] head = new byte[1024];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
    if (n >= 8) {
      String type = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (type.equals("ftyp") || type.equals("styp") || type.equals("moov") || type.equals("free")
          || type.equals("mdat") || type.equals("wide") || type.equals("skip")) {
        return Container.MP4;
      }
    }
    for (int size : new int[] {188, 192, 204}) {
      for (int start = 0; start < size && start + 2 * size < n; start++) {
        if (head[start] == 0x47 && head[start + size] == 0x47 && head[start + 2 * size] == 0x47) {
          return Container.MPEG_TS;
        }
      }
    }
    return n > 0 && n < 3 * 188 && head[0] == 0x47 ? Container.MPEG_TS : Container.UNKNOWN;
  }
}
