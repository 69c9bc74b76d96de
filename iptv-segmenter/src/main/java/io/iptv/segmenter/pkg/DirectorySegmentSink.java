package io.iptv.segmenter.pkg;

import io.iptv.core.internal.Preconditions;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A {@link SegmentSink} over a directory: each resource is written to a temporary name next to it
 * ({@code .name.tmp}) and then renamed over the final name ({@code ATOMIC_MOVE}), so a web server never
 * serves a half-written playlist or segment. Thread-safe for distinct names.
 *
 * <pre>{@code
 * SegmentSink sink = DirectorySegmentSink.of(Path.of("out"));
 * sink.write("v0/index.m3u8", playlistBytes);
 * }</pre>
 */
public final class DirectorySegmentSink implements SegmentSink {
  /** Largest write(2) per call (see {@link #write}). */
  private static final int WRITE_CHUNK_BYTES = 1 << 20;
  private final Path root;

  private DirectorySegmentSink(Path root) {
    this.root = root;
  }

  /** A sink writing under {@code root} (created when needed). */
  public static DirectorySegmentSink of(Path root) {
    return new DirectorySegmentSink(root.toAbsolutePath().normalize());
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  @Override
  public void write(String name, ByteSlice bytes) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    // A FileChannel writes a heap buffer through the JDK's per-thread cached direct buffer;
    // FileOutputStream.write would malloc and free a native copy of every multi-megabyte segment. Writing
    // at most WRITE_CHUNK_BYTES per call keeps that cached buffer at one size: a whole segment per call made
    // the JDK free and allocate (and the kernel fault in) a new segment-sized native buffer whenever a
    // segment was larger than the one before.
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
      int end = buffer.limit();
      while (buffer.position() < end) {
        buffer.limit(Math.min(end, buffer.position() + WRITE_CHUNK_BYTES));
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(resolve(name));
  }

  @Override
  public boolean exists(String name) {
    return Files.isRegularFile(resolve(name));
  }

  private Path resolve(String name) {
    Preconditions.requireArgument(!name.isEmpty() && !name.startsWith("/") && !name.contains("..")
        && !name.contains("\\"), "invalid resource name %s", name);
    return root.resolve(name);
  }
}
