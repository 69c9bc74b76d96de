package io.iptv.segmenter.live;

import io.iptv.core.testing.ExternalTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A running ffmpeg sender for live-ingest tests; {@link #close()} kills it (SIGKILL: an encoder crash). */
final class Ffmpeg implements AutoCloseable {
  private final Process process;
  private final Path log;

  private Ffmpeg(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code ffmpeg -hide_banner -loglevel error ARGS}; aborts/fails the test without ffmpeg. */
  static Ffmpeg start(String... args) {
    List<String> command = new ArrayList<>(List.of(ExternalTools.requireFfmpeg(), "-hide_banner", "-nostdin",
        "-loglevel", "error"));
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("ffmpeg-", ".log");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Ffmpeg(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Real-time MPEG-TS over UDP of a committed clip, looped forever (an encoder's live output). */
  static Ffmpeg udpLoop(Path clip, int port) {
    return start("-re", "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "mpegts",
        "udp://127.0.0.1:" + port + "?pkt_size=1316");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for a normal end (at most {@code seconds}). */
  int waitFor(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("ffmpeg did not finish in " + seconds + " s: " + log());
    }
    return process.exitValue();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a leftover temp file is harmless
    }
  }

  /** A UDP port free right now on 127.0.0.1. */
  static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
