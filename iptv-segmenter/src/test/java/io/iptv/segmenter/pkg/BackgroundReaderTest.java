package io.iptv.segmenter.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iptv.core.MediaException;
import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.MediaSample;
import io.iptv.core.media.StreamEvent;
import io.iptv.core.pipeline.Emitter;
import io.iptv.segmenter.input.MediaInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BackgroundReaderTest {
  /** An input emitting {@code count} samples of {@code size} bytes, then failing with {@code failure} if set. */
  private static final class FakeInput implements MediaInput {
    final int count;
    final int size;
    final MediaException failure;
    final AtomicInteger emitted = new AtomicInteger();
    final AtomicLong maxAhead = new AtomicLong();
    final AtomicInteger consumed = new AtomicInteger();
    volatile String thread;

    FakeInput(int count, int size, MediaException failure) {
      this.count = count;
      this.size = size;
      this.failure = failure;
    }

    @Override
    public void readAll(Emitter out) throws MediaException {
      thread = Thread.currentThread().getName();
      for (int i = 0; i < count; i++) {
        out.emit(new MediaSample(1, i * 3600L, i * 3600L, i % 25 == 0, ByteSlice.wrap(new byte[size])));
        emitted.incrementAndGet();
        maxAhead.accumulateAndGet((long) (emitted.get() - consumed.get()) * size, Math::max);
      }
      if (failure != null) {
        throw failure;
      }
      out.emit(new StreamEvent.EndOfStream());
    }

    @Override
    public void close() {}
  }

  @Test
  void emitsEveryEventInOrderOnTheCallingThreadWhileAnotherThreadReads() throws MediaException {
    FakeInput input = new FakeInput(5000, 100, null);
    List<StreamEvent> events = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    BackgroundReader.readAll(input, e -> {
      events.add(e);
      threads.add(Thread.currentThread().getName());
    }, 1 << 20);
    assertEquals(5001, events.size());
    for (int i = 0; i < 5000; i++) {
      assertEquals(i * 3600L, ((MediaSample) events.get(i)).dts90k(), "event " + i);
    }
    assertTrue(events.get(5000) instanceof StreamEvent.EndOfStream);
    assertTrue(threads.stream().allMatch(Thread.currentThread().getName()::equals));
    assertNotEquals(Thread.currentThread().getName(), input.thread, "read on a background thread");
  }

  @Test
  void readsAheadNoMoreThanTheBoundPlusABatch() throws MediaException {
    FakeInput input = new FakeInput(2000, 10_000, null);
    long bound = 200_000;
    BackgroundReader.readAll(input, e -> {
      input.consumed.incrementAndGet();
      Thread.onSpinWait();
    }, bound);
    // queued ≤ bound, plus the batch being filled and the one being emitted (≤ 1 MiB or 128 events each)
    long slack = 2 * 128 * 10_000L;
    assertTrue(input.maxAhead.get() <= bound + slack, "read ahead " + input.maxAhead.get());
  }

  @Test
  void inputFailureReachesTheCallerAfterTheEventsBeforeIt() {
    MediaException failure = MediaException.truncated("cut");
    FakeInput input = new FakeInput(300, 10, failure);
    List<StreamEvent> events = new ArrayList<>();
    MediaException thrown = assertThrows(MediaException.class,
        () -> BackgroundReader.readAll(input, events::add, 1 << 20));
    assertSame(failure, thrown);
    assertEquals(300, events.size());
  }

  @Test
  void emitterFailureStopsTheReader() {
    FakeInput input = new FakeInput(1_000_000, 1000, null);
    MediaException failure = MediaException.malformed("muxer refused");
    AtomicInteger seen = new AtomicInteger();
    MediaException thrown = assertThrows(MediaException.class, () -> BackgroundReader.readAll(input, e -> {
      if (seen.incrementAndGet() == 1000) {
        throw failure;
      }
    }, 100_000));
    assertSame(failure, thrown);
    assertTrue(input.emitted.get() < 10_000, "the reader stopped early: " + input.emitted.get());
  }

  @Test
  void uncheckedReaderFailureIsRethrown() {
    MediaInput broken = new MediaInput() {
      @Override
      public void readAll(Emitter out) {
        throw new IllegalStateException("bug");
      }

      @Override
      public void close() {}
    };
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> BackgroundReader.readAll(broken, e -> { }, 1000));
    assertEquals("bug", thrown.getMessage());
  }
}
