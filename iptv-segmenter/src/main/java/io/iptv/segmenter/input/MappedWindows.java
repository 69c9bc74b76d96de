package io.iptv.segmenter.input;

import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;

/**
 * Releases a memory-mapped window as soon as its reader is done with it, instead of when the garbage
 * collector finds the buffer unreachable: a sequential reader of a 1 GB file would otherwise keep many
 * windows mapped (their pages count as the process's resident memory) until the next GC. Uses
 * {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, the idiom Lucene's MMapDirectory relies on);
 * where that is unavailable, {@link #release} does nothing and the GC unmaps as before.
 *
 * <p>The caller guarantees that nothing reads the buffer (or a view of it) afterwards: touching an unmapped
 * window crashes the VM. Thread-safe (stateless).
 *
 * <pre>{@code
 * MappedByteBuffer window = channel.map(READ_ONLY, position, length);
 * window.get(0, chunk, 0, n);   // copy out
 * MappedWindows.release(window); // no view of window escaped
 * }</pre>
 */
final class MappedWindows {
  private static final sun.misc.Unsafe UNSAFE = findUnsafe();

  private MappedWindows() {}

  /** Unmaps {@code window} now if the JDK allows it; otherwise leaves it to the GC. */
  static void release(MappedByteBuffer window) {
    if (UNSAFE != null) {
      try {
        UNSAFE.invokeCleaner(window);
      } catch (IllegalArgumentException e) {
        // a slice or duplicate (not the case for our own windows): the GC unmaps it
      }
    }
  }

  private static sun.misc.Unsafe findUnsafe() {
    try {
      Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return (sun.misc.Unsafe) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // e.g. a security manager or a JDK without jdk.unsupported: fall back to the GC
    }
  }
}
