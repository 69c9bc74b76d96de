package io.iptv.examples.demo;

import io.iptv.core.serve.HttpRequest;
import io.iptv.examples.json.Json;
import java.util.List;
import java.util.Map;

/** The demo's HTML: the player page and the status page. Internal; values are escaped. */
final class DemoPages {
  private DemoPages() {}

  /** The player page: one link per channel, each with a freshly signed URL for this client, and hls.js. */
  static String player(DemoServer server, HttpRequest request) {
    StringBuilder items = new StringBuilder();
    for (DemoChannel channel : server.channels()) {
      String url = server.signedMasterPath(channel, request.clientAddress() == null ? null
          : request.clientAddress().getAddress());
      items.append("    <li><a class=\"channel\" href=\"").append(html(url)).append("\" data-channel=\"")
          .append(html(channel.name())).append("\" data-url=\"").append(html(url)).append("\"");
      String license = server.signedLicensePath(channel, request.clientAddress() == null ? null
          : request.clientAddress().getAddress());
      if (license != null) {
        items.append(" data-license=\"").append(html(license)).append("\"");
      }
      items.append(">")
          .append(html(channel.title())).append("</a> <small>(").append(channel.live() ? "live" : "VOD")
          .append(", ").append(html(channel.variant().description())).append(")</small><br><code>")
          .append(html(url)).append("</code>");
      String mpd = server.signedManifestPath(channel, request.clientAddress() == null ? null
          : request.clientAddress().getAddress());
      if (mpd != null) {
        items.append("<br><small>DASH (for a DASH player such as Shaka):</small> <code class=\"dash\">")
            .append(html(mpd)).append("</code>");
      }
      String dvr = server.signedDvrPath(channel, request.clientAddress() == null ? null
          : request.clientAddress().getAddress());
      if (dvr != null) {
        items.append("<br><small>Timeshift (DVR window):</small> <a class=\"channel dvr\" href=\"").append(html(dvr))
            .append("\" data-url=\"").append(html(dvr)).append("\">").append(html(channel.name()))
            .append(" DVR</a>");
      }
      items.append("</li>\n");
    }
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>iptv demo</title>
        <style>
          body { font-family: sans-serif; margin: 2em; max-width: 60em; }
          video { background: #000; width: 640px; height: 360px; }
          code { font-size: 0.8em; word-break: break-all; color: #555; }
          li { margin: 0.6em 0; }
        </style>
        </head>
        <body>
        <h1>iptv demo</h1>
        <video id="video" controls muted playsinline></video>
        <p id="state">Pick a channel.</p>
        <h2>Channels</h2>
        <ul id="channels">
        %s</ul>
        <p>Each URL carries a signed token (HMAC-SHA256, valid %d minutes, for this client address only); the
        origin copies it into every playlist and segment URL it serves. Reload this page for fresh tokens.
        Without a token the origin answers 401. <a href="/status">Status</a></p>
        <script src="%s"></script>
        <script>
          const video = document.getElementById('video');
          const state = document.getElementById('state');
          let hls = null;
          function play(url, title, license) {
            if (hls) { hls.destroy(); hls = null; }
            state.textContent = 'Playing ' + title;
            if (window.Hls && Hls.isSupported()) {
              // ClearKey channels: hls.js asks the licence endpoint (with this page's token) for each key
              hls = new Hls(license ? { emeEnabled: true,
                  drmSystems: { 'org.w3.clearkey': { licenseUrl: new URL(license, location.href).href } } } : {});
              hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) state.textContent = 'Error: ' + data.details; });
              hls.loadSource(url);
              hls.attachMedia(video);
            } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
              video.src = url;
            } else {
              state.textContent = 'This browser cannot play HLS';
              return;
            }
            video.play().catch(() => {});
          }
          document.querySelectorAll('a.channel').forEach(a => a.addEventListener('click', event => {
            event.preventDefault();
            play(a.dataset.url, a.textContent, a.dataset.license);
          }));
        </script>
        </body>
        </html>
        """.formatted(items, server.tokenTtl().toMinutes(), DemoFront.HLS_JS_PATH);
  }

  /** The status page: the JSON status as tables. */
  @SuppressWarnings("unchecked")
  static String status(Map<String, Object> status) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>iptv demo status</title>")
        .append("<meta http-equiv=\"refresh\" content=\"2\">")
        .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:left}</style>")
        .append("</head>\n<body>\n<h1>iptv demo status</h1>\n<p><a href=\"/\">Player</a> · ")
        .append("<a href=\"/status?format=json\">JSON</a></p>\n");
    b.append("<h2>Channels</h2>\n");
    for (Map<String, Object> channel : (List<Map<String, Object>>) status.get("channels")) {
      b.append("<h3>").append(html(String.valueOf(channel.get("name")))).append("</h3>\n");
      table(b, channel);
    }
    b.append("<h2>Segment cache</h2>\n");
    table(b, (Map<String, Object>) status.get("cache"));
    b.append("<h2>Auth</h2>\n");
    table(b, (Map<String, Object>) status.get("auth"));
    b.append("<p>Uptime ").append(status.get("uptimeSeconds")).append(" s</p>\n</body>\n</html>\n");
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void table(StringBuilder b, Map<String, Object> values) {
    b.append("<table>\n");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      String text = v instanceof Map<?, ?> m ? Json.compact(m) : String.valueOf(v);
      b.append("<tr><th>").append(html(e.getKey())).append("</th><td>").append(html(text)).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  static String html(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
