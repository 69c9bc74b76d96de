package io.iptv.examples.demo;

import io.iptv.core.MediaException;
import io.iptv.core.media.MediaSample;
import java.util.Objects;

/**
 * A position in a {@link DemoClip} played in a loop: hands out its samples in order, each repetition shifted by
 * the clip's loop duration ({@link DemoClip#shifted}) so that timestamps keep growing. What {@link LiveLoop} and
 * {@link TsHeadend} both walk, tick by tick. Not thread-safe: one feeder thread.
 *
 * <pre>{@code
 * ClipLoop loop = new ClipLoop(clip);
 * loop.emitUntil(now90k, packager::emit);   // every sample due by now90k, in order
 * }</pre>
 */
final class ClipLoop {
  /** Receives one due sample. */
  @FunctionalInterface
  interface SampleSink {
    /** Accepts the (shifted) sample. */
    void accept(MediaSample sample) throws MediaException;
  }

  private final DemoClip clip;
  private int index;
  private long loop;
  private volatile long completedLoops;

  ClipLoop(DemoClip clip) {
    this.clip = Objects.requireNonNull(clip, "clip");
  }

  /**
   * Hands {@code sink} every sample, in clip order, whose shifted DTS is at most {@code until90k} and that was not
   * handed out before.
   */
  void emitUntil(long until90k, SampleSink sink) throws MediaException {
    while (true) {
      MediaSample sample = clip.samples().get(index);
      if (sample.dts90k() + loop * clip.loopDuration90k() > until90k) {
        return;
      }
      sink.accept(clip.shifted(sample, loop));
      if (++index == clip.samples().size()) {
        index = 0;
        completedLoops = ++loop;
      }
    }
  }

  /** Complete repetitions so far (readable from any thread). */
  long completedLoops() {
    return completedLoops;
  }
}
