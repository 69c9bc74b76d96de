package io.iptv.examples.cli;

import io.iptv.examples.json.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iptv inspect FILE [--json]}: a transport-stream analyser for people who run IPTV headends. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Analyse an MPEG-TS file: programs, streams, duration, bitrate, GOP, errors.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "MPEG-TS file (188, 192 or 204-byte packets)")
  Path file;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("no such file: " + file);
    }
    InspectReport report = new TsInspector().inspect(file);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? Json.pretty(report) + "\n" : text(report));
    out.flush();
    return 0;
  }

  static String text(InspectReport r) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s: %,d bytes, %d-byte packets, %.3f s, %.3f Mbit/s%n",
        r.file(), r.sizeBytes(), r.packetSize(), r.durationSeconds(), r.bitrateBitsPerSecond() / 1e6));
    for (InspectReport.ProgramReport p : r.programs()) {
      out.append(String.format(Locale.ROOT, "program %d  PMT PID 0x%04X  PCR PID %s  %.3f s%n", p.programNumber(),
          p.pmtPid(), p.pcrPid() == 0x1FFF ? "none" : String.format(Locale.ROOT, "0x%04X", p.pcrPid()),
          p.durationSeconds()));
      for (InspectReport.StreamReport s : p.streams()) {
        out.append(String.format(Locale.ROOT, "  PID 0x%04X  type 0x%02X  %-8s %-11s %-18s", s.pid(), s.streamType(),
            s.type(), s.codec(), s.codecString() == null ? "-" : s.codecString()));
        if (s.width() > 0) {
          out.append(String.format(Locale.ROOT, " %dx%d", s.width(), s.height()));
          if (s.frameRate() > 0) {
            out.append(String.format(Locale.ROOT, " @ %.3f fps", s.frameRate()));
          }
        }
        if (s.sampleRate() > 0) {
          out.append(String.format(Locale.ROOT, " %d Hz %d ch", s.sampleRate(), s.channels()));
        }
        if (s.language() != null) {
          out.append(" lang ").append(s.language());
        }
        out.append(String.format(Locale.ROOT, "  %d samples", s.samples()));
        if (s.keyframes() > 0 && "video".equals(s.type())) {
          out.append(String.format(Locale.ROOT, ", %d keyframes, GOP %.1f frames / %.3f s", s.keyframes(),
              s.averageGopFrames(), s.averageGopSeconds()));
        }
        if (s.bitrateBitsPerSecond() > 0) {
          out.append(String.format(Locale.ROOT, ", %.1f kbit/s", s.bitrateBitsPerSecond() / 1e3));
        }
        if (s.ccErrors() > 0) {
          out.append(", CC errors ").append(s.ccErrors());
        }
        if (s.scrambled()) {
          out.append(", SCRAMBLED");
        }
        out.append(System.lineSeparator());
      }
    }
    InspectReport.DamageReport d = r.damage();
    out.append(String.format(Locale.ROOT,
        "errors: CC %d, TEI %d, damaged %d, PSI CRC %d, sync losses %d (%d bytes skipped), truncated %d bytes,"
        + " PES dropped %d%n",
        d.ccErrors(), d.teiPackets(), d.damagedPackets(), d.crcErrors(), d.syncLosses(), d.bytesSkipped(), d.truncatedBytes(), d.pesDropped()));
    out.append(String.format(Locale.ROOT, "timing: %d discontinuities, %d timestamp wraps, %d DTS>PTS%n",
        d.discontinuities(), d.timestampWraps(), d.dtsAfterPts()));
    out.append("scrambled PIDs: ").append(d.scrambledPids().isEmpty() ? "none" : d.scrambledPids().stream()
        .map(pid -> String.format(Locale.ROOT, "0x%04X", pid)).reduce((a, b) -> a + ", " + b).orElse(""))
        .append(System.lineSeparator());
    return out.toString();
  }
}
