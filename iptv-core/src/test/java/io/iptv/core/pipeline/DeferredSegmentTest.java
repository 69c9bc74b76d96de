package io.iptv.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iptv.core.io.ByteSlice;
import io.iptv.core.media.TrackType;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The deferred-transform SPI: existing transforms are not deferred; plans are validated. */
class DeferredSegmentTest {
  private static final SegmentContext CONTEXT = new SegmentContext("stream", 3, Set.of(TrackType.VIDEO));

  @Test
  void transformsDoNotDeferUnlessTheySaySo() throws Exception {
    ByteSlice segment = ByteSlice.wrap(new byte[] {1, 2, 3});
    assertNull(SegmentTransform.identity().defer(CONTEXT, segment));
    SegmentTransform lambda = (context, bytes) -> new TransformedSegment(bytes, null);
    assertNull(lambda.defer(CONTEXT, segment), "a plain transform is called as before");

    SegmentTransform deferring = new SegmentTransform() {
      @Override
      public TransformedSegment transform(SegmentContext context, ByteSlice bytes) {
        throw new AssertionError("not called when deferred");
      }

      @Override
      public DeferredSegment defer(SegmentContext context, ByteSlice bytes) {
        return new DeferredSegment(null, bytes.length(), out -> bytes.copyTo(out, 0));
      }
    };
    DeferredSegment planned = deferring.defer(CONTEXT, segment);
    byte[] out = new byte[planned.length()];
    planned.filler().fill(out);
    assertEquals(segment, ByteSlice.wrap(out));
  }

  @Test
  void planIsValidated() {
    assertThrows(NullPointerException.class, () -> new DeferredSegment(null, 1, null));
    assertThrows(IllegalArgumentException.class, () -> new DeferredSegment(null, -1, out -> { }));
  }
}
