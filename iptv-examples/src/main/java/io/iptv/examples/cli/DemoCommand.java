package io.iptv.examples.cli;

import io.iptv.examples.demo.DemoChannel;
import io.iptv.examples.demo.DemoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iptv demo [--port 8080]}: starts the demo origin ({@link DemoServer}) on 127.0.0.1, prints the URLs to
 * open and runs until Ctrl-C, when a shutdown hook stops it cleanly.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the demo origin on 127.0.0.1: a live and a VOD channel with signed URLs, a player page "
        + "and a status page.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}; 0: any).")
  int port;

  @Option(names = "--token-minutes", defaultValue = "15",
      description = "Validity of the page's signed URLs in minutes (default ${DEFAULT-VALUE}).")
  int tokenMinutes;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new BadInputException("--port must be in 0..65535: " + port);
    }
    if (tokenMinutes < 1 || tokenMinutes > 24 * 60) {
      throw new BadInputException("--token-minutes must be in 1..1440: " + tokenMinutes);
    }
    DemoServer demo;
    try {
      demo = DemoServer.start(DemoServer.config().port(port).tokenTtl(Duration.ofMinutes(tokenMinutes)).build());
    } catch (java.net.BindException e) {
      throw new BadInputException("cannot listen on 127.0.0.1:" + port + " (in use? try --port 0)");
    } catch (IOException e) {
      throw new BadInputException("cannot start the demo: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("iptv demo running%n");
    out.printf("  player page:  %s/%n", demo.baseUrl());
    out.printf("  status:       %s/status  (JSON: %s/status?format=json)%n", demo.baseUrl(), demo.baseUrl());
    for (DemoChannel channel : demo.channels()) {
      out.printf("  channel %-6s %s%s  (signed URL on the player page; 401 without)%n", channel.name(),
          demo.baseUrl(), channel.masterPath());
    }
    out.printf("Press Ctrl-C to stop.%n");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      out.printf("iptv demo stopped%n");
      out.flush();
      stopped.countDown();
    }, "iptv-demo-shutdown"));
    stopped.await();
    return 0;
  }
}
