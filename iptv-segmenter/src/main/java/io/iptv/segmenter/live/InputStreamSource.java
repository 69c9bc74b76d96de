package io.iptv.segmenter.live;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Reads a transport stream from an {@link InputStream} (standard input, a pipe from an encoder) on a thread
 * of its own, since stream reads block. Ends at end of stream. Thread-safe.
 *
 * <pre>{@code
 * channel.attach(packager.source(process.getInputStream(), "ffmpeg pipe"));
 * }</pre>
 */
final class InputStreamSource implements TsSource {
  private static final System.Logger LOG = System.getLogger(InputStreamSource.class.getName());

  private final InputStream in;
  private final String description;
  private final ThreadFactory threads;
  private volatile boolean closed;
  private Thread thread;

  InputStreamSource(InputStream in, String description, ThreadFactory threads) {
    this.in = Objects.requireNonNull(in, "in");
    this.description = Objects.requireNonNull(description, "description");
    this.threads = Objects.requireNonNull(threads, "threads");
  }

  @Override
  public synchronized void start(TsReceiver receiver) {
    if (thread != null) {
      throw new IllegalStateException(description + " already started");
    }
    thread = threads.newThread(() -> pump(receiver));
    thread.setName("iptv-pipe-" + description);
    thread.start();
  }

  private void pump(TsReceiver receiver) {
    byte[] buffer = new byte[7 * 188 * 8];
    try {
      for (int n; !closed && (n = in.read(buffer)) >= 0; ) {
        receiver.receive(buffer, 0, n);
      }
      LOG.log(Level.INFO, () -> description + ": end of stream");
    } catch (IOException e) {
      if (!closed) {
        LOG.log(Level.WARNING, description + ": read failed: " + e.getMessage());
      }
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    closed = true;
    if (in != System.in) {
      try {
        in.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
