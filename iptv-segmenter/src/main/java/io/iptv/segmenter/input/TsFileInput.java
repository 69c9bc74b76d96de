package io.iptv.segmenter.input;

import io.iptv.core.MediaException;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.ts.TsDemuxer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An MPEG-TS file read through {@link TsDemuxer} in 1 MiB chunks. Not thread-safe.
 *
 * <pre>{@code
 * try (MediaInput input = new TsFileInput(Path.of("channel.ts"), 0)) { input.readAll(events::add); }
 * }</pre>
 */
public final class TsFileInput implements MediaInput {
  private static final int CHUNK_BYTES = 1 << 20;
  private final FileChannel channel;
  private final int programNumber;

  /**
   * Opens {@code file}; {@code programNumber} 0 selects the default program (the first with video).
   */
  public TsFileInput(Path file, int programNumber) throws MediaException {
    try {
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "cannot open " + file + ": " + e.getMessage(), e);
    }
    this.programNumber = programNumber;
  }

  @Override
  public void readAll(Emitter out) throws MediaException {
    TsDemuxer.Builder builder = TsDemuxer.builder();
    if (programNumber > 0) {
      builder.programNumber(programNumber);
    }
    TsDemuxer demuxer = builder.build(out);
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
    try {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        demuxer.feed(buffer.array(), 0, buffer.limit());
        buffer.clear();
      }
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "read failed: " + e.getMessage(), e);
    }
    demuxer.finish();
  }

  @Override
  public void close() throws MediaException {
    try {
      channel.close();
    } catch (IOException e) {
      throw MediaException.of(MediaException.Kind.IO, "close failed: " + e.getMessage(), e);
    }
  }
}
