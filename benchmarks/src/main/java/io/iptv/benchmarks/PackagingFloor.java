package io.iptv.benchmarks;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor of a JVM packager on this machine: the least work any Java program must do to turn the benchmark
 * input into segment files of the same total size, with no demuxing, chunking, muxing logic or playlists at all.
 * It cuts the input into {@value #SEGMENT_BYTES}-byte pieces and writes each to a file of its own on
 * {@value #WRITER_THREADS} writer threads ({@code iptv.jar package} has two), and per {@code --kind}:
 *
 * <ul>
 *   <li>{@code ts}: reads the whole input through a 1 MiB buffer (a TS scan must see every packet header) and
 *       copies each piece within the kernel ({@code transferTo}), buffered: the packet-copy path's floor;
 *   <li>{@code cmaf}: copies each piece within the kernel, without reading it: the sample-copy path's floor;
 *   <li>{@code mp4}: copies each piece into the heap (from a mapping of the input) and wraps it in 188-byte
 *       packets (a 4-byte header per 184 bytes, the one copy a TS muxer cannot avoid) before writing it with
 *       direct I/O: the floor of muxing MP4 into TS;
 *   <li>{@code aes}: copies each piece into the heap the same way and encrypts it with the JDK's AES-128-CBC
 *       (PKCS#7, 8 KiB calls, 1 KiB for the first 12 MiB as the library does) before writing it with direct I/O;
 *   <li>{@code cenc}, {@code cenc-mp4}: the same with AES-128-CTR (sample encryption encrypts nearly every byte;
 *       the real packager must also find the samples, which this does not).
 * </ul>
 *
 * <p>If this program cannot reach a speed target against ffmpeg in the same run, no JVM packager can on this
 * machine. {@code benchmarks/scripts/package-vs-ffmpeg.sh} runs it beside the real tools with {@code FLOOR=1}:
 *
 * <pre>
 * FLOOR=1 KINDS="mp4 aes cenc" benchmarks/scripts/package-vs-ffmpeg.sh
 * java -cp benchmarks/target/benchmarks.jar io.iptv.benchmarks.PackagingFloor --kind aes \
 *     --input benchmarks/target/media/h264_1080p_8M_x40.ts --output /tmp/floor \
 *     [--direct-io|--no-direct-io] [--writer-threads N] [--read]
 * </pre>
 *
 * <p>Not thread-safe; a command-line tool.
 */
public final class PackagingFloor {
  /** Bytes per segment: 6 s of the benchmark input's ~8.4 Mbit/s. */
  static final int SEGMENT_BYTES = 6 << 20;
  /**
   * Default writer threads: twice {@code HlsFilePackager}'s, as the floor should be the best case (with direct
   * I/O a thread waits for the device after each segment; 4 threads took 1.67–1.94 s for AES-128, 2 took
   * 1.87–2.06 s, three runs each).
   */
  static final int WRITER_THREADS = 4;
  private static final int ALIGN = 4096;
  private static final int AES_CALL_BYTES = 8192;
  /** As the library's CipherChunks: the first 12 MiB in 1 KiB calls, so that C2's AES intrinsic engages soon. */
  private static final int AES_WARM_UP_CALL_BYTES = 1024;
  private static final long AES_WARM_UP_BYTES = 12L << 20;
  private static volatile long aesBytes;
  private static final byte[] POISON = new byte[0];
  /** Sum of the first byte of every packet the {@code ts} scan looked at (printed, so the scan stays). */
  private long scanSum;

  private final String kind;
  private final Path input;
  private final Path output;
  private final boolean directIo;
  private final int writerThreads;
  private final boolean mapped;

  private PackagingFloor(String kind, Path input, Path output, boolean directIo, int writerThreads,
      boolean mapped) {
    this.kind = kind;
    this.input = input;
    this.output = output;
    this.directIo = directIo;
    this.writerThreads = writerThreads;
    this.mapped = mapped;
  }

  /**
   * {@code --kind K --input FILE --output DIR [--direct-io|--no-direct-io] [--writer-threads N] [--read]}
   * ({@code --read}: pieces read with read(2) instead of copied from a mapping of the input); prints the segment
   * count.
   */
  public static void main(String[] args) throws Exception {
    String kind = null;
    Path input = null;
    Path output = null;
    Boolean direct = null;
    int threads = WRITER_THREADS;
    // mapped is cheaper here: 1.15–1.28 s against 1.20–1.39 s (mp4), 1.56–1.58 against 1.74–2.83 s (aes)
    boolean mapped = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kind" -> kind = args[++i];
        case "--input" -> input = Path.of(args[++i]);
        case "--output" -> output = Path.of(args[++i]);
        case "--direct-io" -> direct = true;
        case "--no-direct-io" -> direct = false;
        case "--writer-threads" -> threads = Integer.parseInt(args[++i]);
        case "--read" -> mapped = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (kind == null || input == null || output == null
        || !List.of("ts", "cmaf", "mp4", "aes", "cenc", "cenc-mp4").contains(kind)) {
      throw new IllegalArgumentException("usage: --kind ts|cmaf|mp4|aes|cenc|cenc-mp4 --input FILE --output DIR");
    }
    // segments built in arrays are written with direct I/O, as iptv.jar does by default; kernel copies buffered
    boolean directIo = direct != null ? direct : !kind.equals("ts") && !kind.equals("cmaf");
    Files.createDirectories(output);
    PackagingFloor floor = new PackagingFloor(kind, input, output, directIo, threads, mapped);
    int segments = floor.run();
    System.out.println(segments + " segments" + (kind.equals("ts") ? ", scan sum " + floor.scanSum : ""));
  }

  private int run() throws Exception {
    try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
      long size = in.size();
      int segments = (int) ((size + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
      if (kind.equals("ts") || kind.equals("cmaf")) {
        copyWithinKernel(in, size, segments);
      } else {
        readTransformWrite(in, size, segments);
      }
      return segments;
    }
  }

  /** {@code ts} and {@code cmaf}: the writers {@code transferTo} their pieces; for ts the main thread reads all. */
  private void copyWithinKernel(FileChannel in, long size, int segments) throws Exception {
    List<Thread> writers = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(2);
    for (int t = 0; t < writerThreads; t++) {
      writers.add(start(failure, () -> {
        for (int n = queue.take(); n >= 0; n = queue.take()) {
          long from = (long) n * SEGMENT_BYTES;
          long length = Math.min(SEGMENT_BYTES, size - from);
          try (FileChannel out = FileChannel.open(segment(n), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < length; ) {
              done += in.transferTo(from + done, length - done, out);
            }
          }
        }
      }));
    }
    ByteBuffer scan = ByteBuffer.allocateDirect(1 << 20);
    for (int n = 0; n < segments; n++) {
      if (kind.equals("ts")) {
        long from = (long) n * SEGMENT_BYTES;
        long end = Math.min(size, from + SEGMENT_BYTES);
        for (long at = from; at < end; ) {
          scan.clear().limit((int) Math.min(scan.capacity(), end - at));
          int read = in.read(scan, at);
          for (int p = (int) ((188 - at % 188) % 188); p < read; p += 188) {
            scanSum += scan.get(p); // one look at each packet's first byte, as a scan must
          }
          at += read;
        }
      }
      queue.put(n);
    }
    finish(queue, writers, failure, -1);
  }

  /**
   * {@code mp4}, {@code aes}, {@code cenc}: the main thread copies pieces into arrays (from a mapping of the
   * input, or with read(2)), the writers transform and write them.
   */
  private void readTransformWrite(FileChannel in, long size, int segments) throws Exception {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(2 + 2 * writerThreads);
    for (int i = 0; i < 2 + 2 * writerThreads; i++) {
      free.add(new byte[SEGMENT_BYTES]);
    }
    BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(2);
    List<Thread> writers = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < writerThreads; t++) {
      writers.add(start(failure, () -> {
        byte[] out = new byte[SEGMENT_BYTES / 184 * 188 + 188 + ALIGN];
        ByteBuffer aligned = directIo ? ByteBuffer.allocateDirect(out.length + ALIGN).alignedSlice(ALIGN) : null;
        Cipher cipher = cipher();
        for (Object[] job = queue.take(); job[0] != POISON; job = queue.take()) {
          byte[] clear = (byte[]) job[0];
          int n = (Integer) job[1];
          int length = (Integer) job[2];
          int outLength = transform(cipher, clear, length, out);
          free.put(clear);
          write(n, out, outLength, aligned);
        }
      }));
    }
    for (int n = 0; n < segments; n++) {
      byte[] piece = free.take();
      long from = (long) n * SEGMENT_BYTES;
      int length = (int) Math.min(SEGMENT_BYTES, size - from);
      if (mapped) { // page faults on the page cache instead of read(2)'s copy
        in.map(FileChannel.MapMode.READ_ONLY, from, length).get(0, piece, 0, length);
      } else {
        ByteBuffer target = ByteBuffer.wrap(piece, 0, length);
        while (target.hasRemaining()) {
          in.read(target, from + target.position());
        }
      }
      queue.put(new Object[] {piece, n, length});
    }
    finish(queue, writers, failure, new Object[] {POISON, -1, 0});
  }

  private Cipher cipher() throws GeneralSecurityException {
    String transformation = switch (kind) {
      case "aes" -> "AES/CBC/PKCS5Padding";
      case "cenc", "cenc-mp4" -> "AES/CTR/NoPadding";
      default -> null;
    };
    if (transformation == null) {
      return null;
    }
    Cipher c = Cipher.getInstance(transformation);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
    return c;
  }

  /** The segment's output bytes into {@code out}; returns their length. */
  private int transform(Cipher cipher, byte[] clear, int length, byte[] out) throws GeneralSecurityException {
    if (cipher == null) { // mp4 -> ts: a 4-byte header per 184 payload bytes
      int o = 0;
      int cc = 0;
      for (int i = 0; i < length; i += 184) {
        out[o] = 0x47;
        out[o + 1] = 0x01;
        out[o + 2] = 0x00;
        out[o + 3] = (byte) (0x10 | (cc++ & 0x0F));
        int n = Math.min(184, length - i);
        System.arraycopy(clear, i, out, o + 4, n);
        o += 4 + n;
      }
      return o;
    }
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
    int written = 0;
    int offset = 0;
    int call = aesBytes < AES_WARM_UP_BYTES ? AES_WARM_UP_CALL_BYTES : AES_CALL_BYTES;
    aesBytes += length; // racy across writer threads, as in the library: an estimate suffices
    for (; length - offset > call; offset += call) {
      written += cipher.update(clear, offset, call, out, written);
    }
    return written + cipher.doFinal(clear, offset, length - offset, out, written);
  }

  private void write(int n, byte[] bytes, int length, ByteBuffer aligned) throws IOException {
    Path file = segment(n);
    if (aligned == null) {
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        for (int at = 0; at < length; at += 1 << 20) { // 1 MiB per write(2), as DirectorySegmentSink does
          ByteBuffer piece = ByteBuffer.wrap(bytes, at, Math.min(1 << 20, length - at));
          while (piece.hasRemaining()) {
            out.write(piece);
          }
        }
      }
      return;
    }
    int padded = (length + ALIGN - 1) / ALIGN * ALIGN;
    aligned.clear();
    aligned.put(bytes, 0, length);
    while (aligned.position() < padded) {
      aligned.put((byte) 0);
    }
    aligned.flip();
    OpenOption[] options = {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, ExtendedOpenOption.DIRECT};
    try (FileChannel out = FileChannel.open(file, options)) {
      while (aligned.hasRemaining()) {
        out.write(aligned);
      }
      out.truncate(length);
    }
  }

  private Path segment(int n) {
    return output.resolve(String.format("seg-%05d.%s", n, kind.startsWith("cenc") || kind.equals("cmaf") ? "m4s"
        : "ts"));
  }

  /** The work of one writer thread. */
  private interface Work {
    void run() throws Exception;
  }

  private static Thread start(Throwable[] failure, Work work) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (Throwable e) {
        synchronized (failure) {
          failure[0] = e;
        }
        e.printStackTrace();
        System.exit(1); // the reading thread may be blocked on a full queue
      }
    }, "floor-writer");
    t.start();
    return t;
  }

  private static <T> void finish(BlockingQueue<T> queue, List<Thread> writers, Throwable[] failure, T poison)
      throws Exception {
    for (int i = 0; i < writers.size(); i++) {
      queue.put(poison);
    }
    for (Thread t : writers) {
      t.join();
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IOException("a writer failed", failure[0]);
      }
    }
  }
}
