package io.iptv.examples.cli;

import io.iptv.segmenter.input.MediaInputs;
import io.iptv.segmenter.pkg.HlsFilePackager;
import io.iptv.segmenter.pkg.SegmentFormat;
import io.iptv.segmenter.pkg.HlsPlaylistType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iptv package --input FILE [--input FILE2 …] --output DIR}: packages files as HLS (MPEG-TS segments).
 * Several inputs are renditions of one content (ABR ladder) and must have aligned keyframes. Output appears
 * in DIR only when everything succeeded.
 *
 * <p><b>Existing output.</b> DIR must not exist or be an empty directory: a non-empty DIR is refused (exit
 * 2) before anything is read or written, so a typo never mixes two packages or deletes someone's files.
 * Replacing a non-empty directory atomically is not possible with one {@code rename(2)}, and a "delete then
 * move" would leave a window with no output; remove the old directory first instead.
 *
 * <p><b>Output.</b> On success one summary line on standard output; {@code --quiet} prints nothing at all
 * on success (no summary, no progress bar), which suits scripts that only look at the exit code. Errors are
 * always one line on standard error (exit 2 for bad input, see {@link IptvCommand}). The progress bar goes
 * to standard error, and only when a console is attached.
 *
 * <p>Options that later formats add ({@code --format ts|fmp4}, {@code --dash}) select the writer, not the
 * input side, so they slot in next to {@code --playlist-type}.
 */
@Command(name = "package", mixinStandardHelpOptions = true,
    description = "Package media files as HLS (MPEG-TS or fMP4 segments, optionally DASH too): DIR/master.m3u8,"
        + " one directory per rendition.")
final class PackageCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "Input file (MPEG-TS or MP4); repeat for ABR renditions of the same content.")
  List<Path> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
  Path output;

  @Option(names = "--segment-duration", paramLabel = "SECONDS", defaultValue = "6",
      description = "Target segment duration in seconds (default ${DEFAULT-VALUE}).")
  double segmentSeconds;

  @Option(names = "--playlist-type", paramLabel = "vod|event", defaultValue = "vod",
      description = "Media playlist type: vod (default) or event.")
  String playlistType;

  @Option(names = "--program", paramLabel = "N", defaultValue = "0",
      description = "MPEG-TS program number (default: the first with video).")
  int program;

  @Option(names = "--format", paramLabel = "ts|fmp4", defaultValue = "ts",
      description = "Segment format: ts (default) or fmp4 (CMAF, init.mp4 + .m4s, audio as separate renditions).")
  String format;

  @Option(names = "--dash", description = "Also write DIR/manifest.mpd (DASH) over the same segments; needs"
      + " --format fmp4.")
  boolean dash;

  @Option(names = "--iframes", description = "Also write an I-frame-only playlist (iframes.m3u8) per video"
      + " rendition, listed as EXT-X-I-FRAME-STREAM-INF in master.m3u8 (trick play).")
  boolean iFrames;

  @Option(names = "--quiet", description = "Print nothing on success (no progress bar, no summary line).")
  boolean quiet;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (Path input : inputs) {
      if (!Files.isRegularFile(input)) {
        throw new BadInputException("no such file: " + input);
      }
      if (MediaInputs.detect(input) == MediaInputs.Container.UNKNOWN) {
        throw new BadInputException("not an MPEG-TS or MP4 file: " + input);
      }
    }
    if (Files.exists(output) && !isEmptyDirectory(output)) {
      throw new BadInputException("--output " + output + " already exists and is not an empty directory;"
          + " remove it or choose another");
    }
    if (!(segmentSeconds >= 0.1 && segmentSeconds <= 60)) {
      throw new BadInputException("--segment-duration must be between 0.1 and 60 seconds");
    }
    HlsPlaylistType type = switch (playlistType.toLowerCase(Locale.ROOT)) {
      case "vod" -> HlsPlaylistType.VOD;
      case "event" -> HlsPlaylistType.EVENT;
      default -> throw new BadInputException("--playlist-type must be vod or event, not " + playlistType);
    };
    SegmentFormat segmentFormat = switch (format.toLowerCase(Locale.ROOT)) {
      case "ts" -> SegmentFormat.TS;
      case "fmp4", "cmaf" -> SegmentFormat.FMP4;
      default -> throw new BadInputException("--format must be ts or fmp4, not " + format);
    };
    if (dash && segmentFormat != SegmentFormat.FMP4) {
      throw new BadInputException("--dash needs --format fmp4");
    }
    if (program < 0 || program > 0xFFFF) {
      throw new BadInputException("--program must be 0..65535");
    }
    long totalBytes = 0;
    for (Path input : inputs) {
      totalBytes += Files.size(input);
    }
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar progress = !quiet && System.console() != null ? new ProgressBar(err, totalBytes) : null;
    long started = System.nanoTime();
    HlsFilePackager.Builder builder = HlsFilePackager.builder()
        .segmentDuration(Duration.ofNanos(Math.round(segmentSeconds * 1e9)))
        .playlistType(type)
        .programNumber(program)
        .segmentFormat(segmentFormat)
        .dash(dash)
        .iFrames(iFrames);
    if (progress != null) {
      builder.listener(progress::onSegment);
    }
    HlsFilePackager.Result result = builder.build().packageFiles(inputs, output);
    if (progress != null) {
      progress.done();
    }
    if (!quiet) {
      double seconds = (System.nanoTime() - started) / 1e9;
      spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d segments (%d per rendition), %d variants, %.1f MB in"
              + " %.2f s (%.1f MB/s)%n", output.resolve(HlsFilePackager.MULTIVARIANT_NAME), result.segmentCount(),
          result.timings().size(), result.multivariant().variants().size(), totalBytes / 1e6, seconds,
          totalBytes / 1e6 / Math.max(seconds, 1e-9));
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** A one-line progress bar with ETA, driven by the bytes written (TS output ≈ input size). */
  static final class ProgressBar {
    private final PrintWriter err;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private long written;
    private long lastDrawNanos;

    ProgressBar(PrintWriter err, long totalBytes) {
      this.err = err;
      this.totalBytes = Math.max(1, totalBytes);
    }

    void onSegment(String name, Duration duration, long bytes) {
      written += bytes;
      long now = System.nanoTime();
      if (now - lastDrawNanos < 100_000_000L) {
        return;
      }
      lastDrawNanos = now;
      draw(Math.min(0.99, (double) written / totalBytes), now);
    }

    void done() {
      draw(1.0, System.nanoTime());
      err.println();
      err.flush();
    }

    private void draw(double fraction, long now) {
      int width = 30;
      int filled = (int) (fraction * width);
      double elapsed = (now - startNanos) / 1e9;
      double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
      err.printf(Locale.ROOT, "\r[%s%s] %3d%%  ETA %4.0f s", "#".repeat(filled), " ".repeat(width - filled),
          Math.round(fraction * 100), eta);
      err.flush();
    }
  }
}
