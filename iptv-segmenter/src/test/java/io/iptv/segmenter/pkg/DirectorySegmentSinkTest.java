package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.nio.file.ExtendedOpenOption;
import io.iptv.core.io.ByteSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DirectorySegmentSink}: atomic replacement, buffered and direct I/O, fallback, failures. */
class DirectorySegmentSinkTest {
  @TempDir Path temp;

  /** Sizes around the block size and the direct writer's chunk size, where padding and truncation differ. */
  private static List<Integer> sizes(int block) {
    int chunk = DirectIoFileWriter.CHUNK_BYTES;
    return List.of(0, 1, block - 1, block, block + 1, 3 * block + 17, chunk - 1, chunk, chunk + 1,
        2 * chunk + block + 5, 7_000_003);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static long blockSize(Path dir) throws IOException {
    return Files.getFileStore(dir).getBlockSize();
  }

  /** Whether {@code dir}'s file system takes one aligned O_DIRECT write (probed without the code under test). */
  private static boolean acceptsDirectIo(Path dir) {
    Path probe = dir.resolve(".probe");
    try {
      int block = (int) blockSize(dir);
      ByteBuffer aligned = ByteBuffer.allocateDirect(2 * block).alignedSlice(block);
      aligned.limit(block);
      try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          ExtendedOpenOption.DIRECT)) {
        ch.write(aligned, 0);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      DirectIoFileWriter.deleteQuietly(probe);
    }
  }

  private static List<String> filesUnder(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private void writesEverySizeExactly(Path root, DirectorySegmentSink sink) throws IOException {
    List<String> expectedNames = new ArrayList<>();
    List<Integer> sizes = sizes((int) blockSize(temp));
    for (int i = 0; i < sizes.size(); i++) {
      String name = "v0/seg-" + i + ".ts";
      byte[] bytes = random(sizes.get(i), i);
      sink.write(name, ByteSlice.wrap(bytes));
      assertArrayEquals(bytes, Files.readAllBytes(root.resolve(name)), name + " (" + bytes.length + " bytes)");
      expectedNames.add(name);
    }
    assertEquals(expectedNames.stream().sorted().toList(), filesUnder(root), "no temporary file left");
  }

  @Test
  void bufferedWritesEverySizeExactly() throws IOException {
    Path root = temp.resolve("buffered");
    DirectorySegmentSink sink = DirectorySegmentSink.of(root);
    writesEverySizeExactly(root, sink);
    assertFalse(sink.writesDirect());
  }

  @Test
  void directIoWritesEverySizeExactly() throws IOException {
    Path root = temp.resolve("direct");
    DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(true).build();
    writesEverySizeExactly(root, sink);
    // Where the file system takes direct I/O the sink must really have used it, not fallen back silently.
    assertEquals(acceptsDirectIo(root), sink.writesDirect(), "direct I/O used where the file system takes it");
  }

  @Test
  void directWriterWritesEverySizeExactly() throws IOException {
    assumeTrue(acceptsDirectIo(temp), "the temp directory's file system refuses O_DIRECT");
    DirectIoFileWriter writer = DirectIoFileWriter.forBlockSize(blockSize(temp));
    List<Integer> sizes = sizes(writer.alignment());
    for (int i = 0; i < sizes.size(); i++) {
      Path file = temp.resolve("f" + i);
      byte[] bytes = random(sizes.get(i), 100 + i);
      writer.write(file, ByteSlice.wrap(bytes));
      assertArrayEquals(bytes, Files.readAllBytes(file), "size " + bytes.length);
    }
    // A slice in the middle of a larger array (offset not aligned) and a shorter file over a longer one.
    byte[] big = random(3 * writer.alignment() + 100, 7);
    Path file = temp.resolve("slice");
    writer.write(file, ByteSlice.wrap(big, 33, 2 * writer.alignment() + 50));
    writer.write(file, ByteSlice.wrap(big, 5, 10));
    assertArrayEquals(ByteSlice.wrap(big, 5, 10).toByteArray(), Files.readAllBytes(file));
  }

  /**
   * A head and regions of a source file (the copy paths): an unaligned head, unaligned offsets and lengths,
   * adjacent, repeated and out of order, more than one direct-I/O chunk in all; written buffered (transferTo), with
   * direct I/O where the file system takes it, and by the default that reads them into an array.
   */
  @Test
  void fileRegionsAreWrittenInOrderByEveryWriter() throws IOException {
    int chunk = DirectIoFileWriter.CHUNK_BYTES;
    byte[] source = random(2 * chunk + 12_345, 9);
    Path sourceFile = temp.resolve("source.ts");
    Files.write(sourceFile, source);
    List<SegmentSink.FileRegion> regions = List.of(new SegmentSink.FileRegion(188, 188),
        new SegmentSink.FileRegion(7, 1000), new SegmentSink.FileRegion(1007, chunk + 3),
        new SegmentSink.FileRegion(0, 0), new SegmentSink.FileRegion(source.length - 500, 500),
        new SegmentSink.FileRegion(188, 188));
    ByteSlice head = ByteSlice.wrap(random(1_001, 4), 3, 997);
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    expected.write(head.toByteArray());
    for (SegmentSink.FileRegion r : regions) {
      expected.write(source, (int) r.offset(), (int) r.length());
    }
    try (FileChannel in = FileChannel.open(sourceFile)) {
      for (boolean direct : new boolean[] {false, true}) {
        Path root = temp.resolve(direct ? "regions-direct" : "regions-buffered");
        DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(direct).build();
        sink.write("v0/seg-1.ts", ByteSlice.wrap(random(3 * chunk, 1))); // replaced wholly by the shorter one
        sink.write("v0/seg-1.ts", head, in, regions);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(root.resolve("v0/seg-1.ts")), "direct " + direct);
        assertEquals(List.of("v0/seg-1.ts"), filesUnder(root));
        assertEquals(direct && acceptsDirectIo(root), sink.writesDirect());
      }
      Map<String, byte[]> memory = new java.util.HashMap<>();
      SegmentSink defaults = new SegmentSink() {
        @Override
        public void write(String name, ByteSlice bytes) {
          memory.put(name, bytes.toByteArray());
        }

        @Override
        public void delete(String name) {
          memory.remove(name);
        }
      };
      defaults.write("seg.ts", head, in, regions);
      assertArrayEquals(expected.toByteArray(), memory.get("seg.ts"));
    }
  }

  @Test
  void aRegionPastTheEndOfTheFileFailsAndLeavesNothing() throws IOException {
    Path sourceFile = temp.resolve("short.ts");
    Files.write(sourceFile, random(1000, 2));
    try (FileChannel in = FileChannel.open(sourceFile)) {
      for (boolean direct : new boolean[] {false, true}) {
        Path root = temp.resolve("past-end-" + direct);
        DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(direct).build();
        IOException e = assertThrows(IOException.class,
            () -> sink.write("seg.ts", ByteSlice.empty(), in, List.of(new SegmentSink.FileRegion(900, 200))));
        assertTrue(e.getMessage().contains("seg.ts"), e.getMessage());
        assertEquals(List.of(), filesUnder(root));
      }
    }
  }

  @Test
  void unusableBlockSizesGiveNoDirectWriter() {
    assertEquals(null, DirectIoFileWriter.forBlockSize(0));
    assertEquals(null, DirectIoFileWriter.forBlockSize(3000));
    assertEquals(null, DirectIoFileWriter.forBlockSize(DirectIoFileWriter.MAX_ALIGNMENT * 2L));
    assertEquals(512, DirectIoFileWriter.forBlockSize(512).alignment());
  }

  @Test
  void replacesAShorterOrLongerResourceWholly() throws IOException {
    for (boolean direct : new boolean[] {false, true}) {
      Path root = temp.resolve("replace-" + direct);
      DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(direct).build();
      byte[] longer = random(100_000, 1);
      byte[] shorter = random(10, 2);
      sink.write("index.m3u8", ByteSlice.wrap(longer));
      sink.write("index.m3u8", ByteSlice.wrap(shorter));
      assertArrayEquals(shorter, Files.readAllBytes(root.resolve("index.m3u8")));
      sink.write("index.m3u8", ByteSlice.wrap(longer));
      assertArrayEquals(longer, Files.readAllBytes(root.resolve("index.m3u8")));
      assertEquals(List.of("index.m3u8"), filesUnder(root));
    }
  }

  @Test
  void fallsBackToBufferedWhenTheFileSystemRefusesDirectIoAtOpen() throws IOException {
    Path root = temp.resolve("refused");
    AtomicInteger opens = new AtomicInteger();
    DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(true)
        .directOpener(file -> {
          opens.incrementAndGet();
          throw new FileSystemException(file.toString(), null, "Invalid argument"); // tmpfs before Linux 6.6
        })
        .build();
    assertTrue(sink.writesDirect());
    byte[] first = random(5_000_000, 3);
    sink.write("seg-1.ts", ByteSlice.wrap(first));
    assertFalse(sink.writesDirect(), "buffered from now on");
    byte[] second = random(4097, 4);
    sink.write("seg-2.ts", ByteSlice.wrap(second));
    assertEquals(1, opens.get(), "direct I/O not tried again");
    assertArrayEquals(first, Files.readAllBytes(root.resolve("seg-1.ts")));
    assertArrayEquals(second, Files.readAllBytes(root.resolve("seg-2.ts")));
    assertEquals(List.of("seg-1.ts", "seg-2.ts"), filesUnder(root));
  }

  @Test
  void fallsBackToBufferedWhenADirectWriteFails() throws IOException {
    Path root = temp.resolve("write-refused");
    DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(true)
        .directOpener(file -> {
          // Opens (and creates the file), but every write fails, as on a file system that takes O_DIRECT at
          // open and refuses it at the first write.
          FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          channel.close();
          return channel;
        })
        .build();
    byte[] bytes = random(1_234_567, 5);
    sink.write("v0/seg-1.ts", ByteSlice.wrap(bytes));
    assertFalse(sink.writesDirect());
    assertArrayEquals(bytes, Files.readAllBytes(root.resolve("v0/seg-1.ts")));
    assertEquals(List.of("v0/seg-1.ts"), filesUnder(root));
  }

  @Test
  void writesOnTmpfsWhateverItSaysToDirectIo() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
    Path root = Files.createTempDirectory(shm, "iptv-sink-test-");
    try {
      DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(true).build();
      byte[] bytes = random(3_000_001, 6);
      sink.write("seg.ts", ByteSlice.wrap(bytes));
      assertArrayEquals(bytes, Files.readAllBytes(root.resolve("seg.ts")));
      assertEquals(List.of("seg.ts"), filesUnder(root));
      assertEquals(acceptsDirectIo(root), sink.writesDirect());
    } finally {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void aFailedWriteNamesTheResourceAndLeavesNoTemporaryFile() throws IOException {
    for (boolean direct : new boolean[] {false, true}) {
      Path root = temp.resolve("fail-" + direct);
      DirectorySegmentSink sink = DirectorySegmentSink.builder(root).directIo(direct).build();
      // The target is a non-empty directory: the temporary file is written, the rename over it fails.
      Files.createDirectories(root.resolve("v0/seg-1.ts/inside"));
      IOException e = assertThrows(IOException.class,
          () -> sink.write("v0/seg-1.ts", ByteSlice.wrap(random(100_000, 8))));
      assertTrue(e.getMessage().contains("v0/seg-1.ts"), e.getMessage());
      assertEquals(List.of(), filesUnder(root), "no temporary file left (direct " + direct + ")");
      // The parent is a file: nothing can be created at all.
      Files.write(root.resolve("plain"), new byte[1]);
      e = assertThrows(IOException.class, () -> sink.write("plain/seg.ts", ByteSlice.wrap(new byte[10])));
      assertTrue(e.getMessage().contains("plain/seg.ts"), e.getMessage());
      assertEquals(List.of("plain"), filesUnder(root));
    }
  }

  @Test
  void directIoIsConfiguredOnce() {
    DirectorySegmentSink.Builder builder = DirectorySegmentSink.builder(temp).directIo(true);
    assertThrows(IllegalStateException.class, () -> builder.directIo(false));
  }
}
