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
import java.util.Objects;

/**
 * A {@link SegmentSink} over a directory: each resource is written to a temporary name next to it
 * ({@code .name.tmp}) and then renamed over the final name ({@code ATOMIC_MOVE}), so a web server never
 * serves a half-written playlist or segment. A failed write leaves neither the temporary file nor a changed
 * resource behind, and its {@link IOException} names the resource. Thread-safe for distinct names.
 *
 * <p><b>Direct I/O</b> ({@link Builder#directIo(boolean)}, off by default): files are written with
 * {@code O_DIRECT}, bypassing the page cache (see {@link DirectIoFileWriter}). That suits batch output that is
 * not read back soon (VOD packaging): it saves the kernel's copy into fresh page-cache pages and does not evict
 * other data from the page cache. Where the file system refuses direct I/O (some refuse {@code O_DIRECT} at
 * open, some at the first write), the file is written buffered instead and the sink stays buffered from then
 * on ({@link #writesDirect()}). Not for live output read by a server right away: its readers would go to the
 * disk.
 *
 * <pre>{@code
 * SegmentSink sink = DirectorySegmentSink.of(Path.of("out"));
 * sink.write("v0/index.m3u8", playlistBytes);
 * SegmentSink batch = DirectorySegmentSink.builder(Path.of("vod")).directIo(true).build();
 * }</pre>
 */
public final class DirectorySegmentSink implements SegmentSink {
  /** Largest write(2) per call of a buffered write (see {@link #writeBuffered}). */
  private static final int WRITE_CHUNK_BYTES = 1 << 20;
  private final Path root;
  private final boolean directIo;
  private final DirectIoFileWriter.Opener directOpener;
  /** Set on the first direct write; null until then or when direct I/O is off. */
  private volatile DirectIoFileWriter direct;
  /** Set when the file system refused direct I/O: all later writes are buffered. */
  private volatile boolean directRefused;

  private DirectorySegmentSink(Builder b) {
    this.root = b.root;
    this.directIo = b.directIo;
    this.directOpener = b.directOpener;
  }

  /** A sink writing under {@code root} (created when needed), with buffered I/O. */
  public static DirectorySegmentSink of(Path root) {
    return builder(root).build();
  }

  /** Starts configuring a sink writing under {@code root} (created when needed). */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  /**
   * Whether writes use direct I/O: configured with {@link Builder#directIo(boolean)} and not (yet) refused by
   * the file system.
   */
  public boolean writesDirect() {
    return directIo && !directRefused;
  }

  @Override
  public void write(String name, ByteSlice bytes) throws IOException {
    write(name, temp -> writeFile(temp, bytes));
  }

  /**
   * Writes the head, then copies the regions within the kernel ({@link FileChannel#transferTo}) or, with direct
   * I/O, reads them straight into the aligned buffers: no copy through the heap.
   */
  @Override
  public void write(String name, ByteSlice head, FileChannel source, java.util.List<FileRegion> regions)
      throws IOException {
    write(name, temp -> writeRegions(temp, head, source, regions));
  }

  /** Writes a temporary file next to {@code name} and moves it there. */
  private void write(String name, FileWrite writeTemp) throws IOException {
    Path target = resolve(name);
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      writeTemp.to(temp);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      DirectIoFileWriter.deleteQuietly(temp);
      throw new IOException("cannot write " + name + " in " + root + ": " + e, e);
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

  @FunctionalInterface
  private interface FileWrite {
    void to(Path file) throws IOException;
  }

  private void writeRegions(Path file, ByteSlice head, FileChannel source, java.util.List<FileRegion> regions)
      throws IOException {
    boolean refused = false;
    if (writesDirect()) {
      DirectIoFileWriter writer = directWriter();
      if (writer == null) {
        directRefused = true; // no usable block size
      } else {
        try {
          writer.write(file, head, source, regions);
          return;
        } catch (IOException | UnsupportedOperationException e) {
          DirectIoFileWriter.deleteQuietly(file); // as in writeFile: perhaps a file system without direct I/O
          refused = true;
        }
      }
    }
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer headBytes = head.asReadOnlyByteBuffer();
      while (headBytes.hasRemaining()) {
        out.write(headBytes);
      }
      for (FileRegion r : regions) {
        long done = 0;
        while (done < r.length()) {
          long n = source.transferTo(r.offset() + done, r.length() - done, out);
          if (n <= 0) {
            throw new java.io.EOFException("region " + r + " ends past the end of the file");
          }
          done += n;
        }
      }
    }
    if (refused) {
      directRefused = true; // the buffered write worked where the direct one did not
    }
  }

  private void writeFile(Path file, ByteSlice bytes) throws IOException {
    if (!writesDirect()) {
      writeBuffered(file, bytes);
      return;
    }
    try {
      DirectIoFileWriter writer = directWriter();
      if (writer == null) {
        directRefused = true; // no usable block size
        writeBuffered(file, bytes);
        return;
      }
      writer.write(file, bytes);
      return;
    } catch (IOException | UnsupportedOperationException e) {
      // EINVAL at open or at a write on a file system without direct I/O (tmpfs before Linux 6.6, some FUSE
      // and network file systems), or a file system provider without ExtendedOpenOption.DIRECT.
      DirectIoFileWriter.deleteQuietly(file);
      try {
        writeBuffered(file, bytes);
      } catch (IOException buffered) {
        buffered.addSuppressed(e);
        throw buffered; // a real failure (full disk, permissions): report the buffered one
      }
    }
    directRefused = true; // the buffered write worked where the direct one did not
  }

  /** The direct writer, made on first use from the file system's block size; null if it has none usable. */
  private DirectIoFileWriter directWriter() throws IOException {
    DirectIoFileWriter writer = direct;
    if (writer == null) {
      writer = DirectIoFileWriter.forBlockSize(Files.getFileStore(root).getBlockSize(), directOpener);
      direct = writer;
    }
    return writer;
  }

  private static void writeBuffered(Path file, ByteSlice bytes) throws IOException {
    // A FileChannel writes a heap buffer through the JDK's per-thread cached direct buffer;
    // FileOutputStream.write would malloc and free a native copy of every multi-megabyte segment. Writing
    // at most WRITE_CHUNK_BYTES per call keeps that cached buffer at one size: a whole segment per call made
    // the JDK free and allocate (and the kernel fault in) a new segment-sized native buffer whenever a
    // segment was larger than the one before.
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
  }

  private Path resolve(String name) {
    Preconditions.requireArgument(!name.isEmpty() && !name.startsWith("/") && !name.contains("..")
        && !name.contains("\\"), "invalid resource name %s", name);
    return root.resolve(name);
  }

  /** Configures a {@link DirectorySegmentSink}; each setting once, validated immediately. Not thread-safe. */
  public static final class Builder {
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private final Path root;
    private boolean directIo;
    private DirectIoFileWriter.Opener directOpener = DirectIoFileWriter.Opener.DIRECT;

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /**
     * Write files with direct I/O, bypassing the page cache (default false); falls back to buffered writes
     * where the file system refuses it. For batch output that is not read back soon.
     */
    public Builder directIo(boolean value) {
      once("directIo");
      directIo = value;
      return this;
    }

    /** Test seam: how files are opened for direct I/O (simulates a file system that refuses it). */
    Builder directOpener(DirectIoFileWriter.Opener value) {
      once("directOpener");
      directOpener = Objects.requireNonNull(value, "directOpener");
      return this;
    }

    /** Builds the sink. */
    public DirectorySegmentSink build() {
      return new DirectorySegmentSink(this);
    }

    private void once(String setting) {
      Preconditions.requireState(set.add(setting), "%s was already set", setting);
    }
  }
}
