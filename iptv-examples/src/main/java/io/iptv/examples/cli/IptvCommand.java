package io.iptv.examples.cli;

import io.iptv.core.MediaException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code iptv.jar} command line: {@code java -jar iptv-examples/target/iptv.jar <subcommand>}.
 *
 * <p>Exit codes: 0 success, 2 bad input (unreadable or non-TS file, bad option) with a one-line message on
 * standard error, 1 for an internal error (also one line; never a stack trace).
 *
 * <pre>{@code
 * java -jar iptv-examples/target/iptv.jar inspect channel.ts --json
 * }</pre>
 */
@Command(name = "iptv", mixinStandardHelpOptions = true, version = "iptv 0.1.0-SNAPSHOT",
    description = "IPTV streaming library command line.",
    subcommands = {InspectCommand.class, PackageCommand.class, ServeCommand.class, DemoCommand.class})
public final class IptvCommand implements Runnable {
  /** Exit code for bad input. */
  static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (inspect, package, serve, demo)");
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("package")) {
      // Before picocli starts: its start-up is then compiled by C1 alone too (package applies it anyway).
      BatchJit.apply();
    }
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    PackageCommand quick = QuickPackageArgs.parse(args);
    if (quick != null) { // plain package options: picocli's start-up is not needed (see QuickPackageArgs)
      quick.directOut = out;
      quick.directErr = err;
      try {
        Integer code = quick.call();
        return code == null ? 0 : code;
      } catch (Exception ex) {
        return failed("package", ex, err);
      }
    }
    CommandLine cli = new CommandLine(new IptvCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, ignored) -> {
      String command = ex.getCommandLine().getCommandName();
      err.println(command + ": " + ex.getMessage() + " (try --help)");
      err.flush();
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failed(commandLine.getCommandName(), ex, err));
    return cli.execute(args);
  }

  /** Reports a subcommand's failure as one line on {@code err}; returns the exit code. */
  private static int failed(String command, Exception ex, PrintWriter err) {
    if (ex instanceof MediaException || ex instanceof BadInputException) {
      err.println(command + ": " + ex.getMessage());
      err.flush();
      return EXIT_BAD_INPUT;
    }
    if (ex instanceof IOException) {
      err.println(command + ": cannot read input: " + ex.getMessage());
      err.flush();
      return EXIT_BAD_INPUT;
    }
    err.println(command + ": internal error: " + ex);
    err.flush();
    return 1;
  }
}
