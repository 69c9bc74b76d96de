package io.iptv.core.testing;

import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Ways to cut one byte array into the chunks a push parser is fed with, so tests can check that the
 * parser's output does not depend on where the chunk borders fall (Media3 re-runs every input with 1-byte
 * reads for the same reason). Immutable and thread-safe; random splits are deterministic per seed.
 *
 * <pre>{@code
 * for (ByteSplits split : ByteSplits.standard()) {
 *   TsDemuxer demuxer = TsDemuxer.builder().build(events::add);
 *   split.feed(ts, demuxer::feed);
 * }
 * }</pre>
 *
 * @param name a label for test reports
 * @param kind how chunk lengths are chosen
 * @param size the chunk length (ALIGNED) or the largest chunk length (RANDOM); 1 for ONE_BYTE
 * @param seed the random seed (RANDOM only)
 */
public record ByteSplits(String name, Kind kind, int size, long seed) {
  /** How chunk lengths are chosen. */
  public enum Kind {
    /** Every chunk is one byte. */
    ONE_BYTE,
    /** Chunks of a uniformly random length in [1, size]. */
    RANDOM,
    /** Chunks of exactly {@code size} bytes (the last one shorter). */
    ALIGNED
  }

  /** Receives one chunk; the array must not be kept (it is the caller's whole input). */
  @FunctionalInterface
  public interface ChunkSink<E extends Exception> {
    /** Accepts {@code length} bytes of {@code data} from {@code offset}. */
    void accept(byte[] data, int offset, int length) throws E;
  }

  /** Validates. */
  public ByteSplits {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive: " + size);
    }
  }

  /** One byte at a time. */
  public static ByteSplits oneByte() {
    return new ByteSplits("1-byte", Kind.ONE_BYTE, 1, 0);
  }

  /** Random lengths in [1, maxChunk], seeded. */
  public static ByteSplits random(int maxChunk, long seed) {
    return new ByteSplits("random(max=" + maxChunk + ",seed=" + seed + ")", Kind.RANDOM, maxChunk, seed);
  }

  /** Fixed-size chunks (188 for packet-aligned feeding). */
  public static ByteSplits aligned(int chunkSize) {
    return new ByteSplits("aligned(" + chunkSize + ")", Kind.ALIGNED, chunkSize, 0);
  }

  /** The splits every push-parser test should survive: 1-byte, two random, 188-aligned and 64 KiB. */
  public static List<ByteSplits> standard() {
    return List.of(oneByte(), random(400, 1), random(5000, 2), aligned(188), aligned(65536));
  }

  /** Feeds all of {@code data} to {@code sink} in chunks of this split. */
  public <E extends Exception> void feed(byte[] data, ChunkSink<E> sink) throws E {
    Random random = new Random(seed);
    int offset = 0;
    while (offset < data.length) {
      int length = switch (kind) {
        case ONE_BYTE -> 1;
        case RANDOM -> 1 + random.nextInt(size);
        case ALIGNED -> size;
      };
      length = Math.min(length, data.length - offset);
      sink.accept(data, offset, length);
      offset += length;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
