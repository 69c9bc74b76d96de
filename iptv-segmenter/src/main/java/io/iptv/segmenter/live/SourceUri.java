package io.iptv.segmenter.live;

import io.iptv.core.internal.Preconditions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed live-source address, in the forms ffmpeg and VLC users know:
 * <ul>
 *   <li>{@code udp://GROUP:PORT[?source=S&interface=I]}: multicast (any-source, or source-specific with
 *       {@code source}); {@code interface} is a network interface name ({@code eth1}) or one of its addresses;</li>
 *   <li>{@code udp://ADDRESS:PORT}, {@code udp://:PORT}, {@code udp://@:PORT}: unicast, bound to a local address
 *       or to all;</li>
 *   <li>{@code rtp://…}: the same, each datagram RTP-wrapped (RFC 2250 MP2T over RTP, RFC 3550 header);</li>
 *   <li>{@code http://…}, {@code https://…}: HTTP pull of a continuous transport stream;</li>
 *   <li>{@code -}: standard input.</li>
 * </ul>
 * Query parameters: {@code source} (alias {@code sources}), {@code interface} (alias {@code localaddr}),
 * {@code buffer_size} (socket receive buffer in bytes). Other parameters are rejected, not ignored. Addresses
 * must be IP literals (no DNS lookup while parsing). Immutable.
 *
 * <pre>{@code
 * SourceUri ssm = SourceUri.parse("udp://232.1.1.1:5000?source=10.0.0.5&interface=eth1");
 * ssm.isMulticast();   // true
 * SourceUri.parse("rtp://@:5004").scheme();   // RTP
 * }</pre>
 *
 * @param scheme the kind of source
 * @param address the multicast group or the local unicast address, or null for all local addresses (and for
 *     HTTP and stdin)
 * @param port the UDP port, or 0 for HTTP and stdin
 * @param source the source-specific multicast sender, or null
 * @param networkInterface the interface name or address to join on, or null for the default
 * @param receiveBufferBytes the socket receive buffer to ask for, or 0 for the default
 * @param uri the HTTP URI, or null
 */
public record SourceUri(Scheme scheme, InetAddress address, int port, InetAddress source, String networkInterface,
    int receiveBufferBytes, URI uri) {

  /** Source kinds. */
  public enum Scheme {
    /** Raw MPEG-TS in UDP datagrams (usually 7 packets, 1316 bytes). */
    UDP,
    /** MPEG-TS in RTP (RFC 2250) over UDP. */
    RTP,
    /** HTTP(S) pull. */
    HTTP,
    /** Standard input. */
    STDIN
  }

  /** Checks the components. */
  public SourceUri {
    Objects.requireNonNull(scheme, "scheme");
    Preconditions.requireArgument(source == null || (address != null && address.isMulticastAddress()),
        "source=%s needs a multicast group address", source);
  }

  /** Whether this is a multicast UDP/RTP source. */
  public boolean isMulticast() {
    return address != null && address.isMulticastAddress();
  }

  /**
   * Parses a source address.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SourceUri parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    if (s.equals("-")) {
      return new SourceUri(Scheme.STDIN, null, 0, null, null, 0, null);
    }
    int colon = s.indexOf("://");
    Preconditions.requireArgument(colon > 0, "not a source URI (udp://, rtp://, http://, -): %s", text);
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      try {
        URI uri = new URI(s);
        Preconditions.requireArgument(uri.getHost() != null, "no host in %s", text);
        return new SourceUri(Scheme.HTTP, null, 0, null, null, 0, uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("bad HTTP URI " + text + ": " + e.getMessage(), e);
      }
    }
    Scheme kind = switch (scheme) {
      case "udp" -> Scheme.UDP;
      case "rtp" -> Scheme.RTP;
      default -> throw new IllegalArgumentException("unsupported scheme " + scheme + " in " + text);
    };
    String rest = s.substring(colon + 3);
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.startsWith("@")) {
      rest = rest.substring(1); // VLC's udp://@group:port
    }
    String host;
    String portText;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      Preconditions.requireArgument(close > 0 && close + 1 < rest.length() && rest.charAt(close + 1) == ':',
          "bad IPv6 address or missing port in %s", text);
      host = rest.substring(1, close);
      portText = rest.substring(close + 2);
    } else {
      int c = rest.lastIndexOf(':');
      Preconditions.requireArgument(c >= 0, "missing port in %s", text);
      host = rest.substring(0, c);
      portText = rest.substring(c + 1);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port '" + portText + "' in " + text, e);
    }
    Preconditions.requireArgument(port >= 1 && port <= 65535, "port %d not in 1..65535 in %s", port, text);
    InetAddress address = host.isEmpty() ? null : literal(host, text);
    InetAddress source = null;
    String networkInterface = null;
    int buffer = 0;
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      int eq = pair.indexOf('=');
      Preconditions.requireArgument(eq > 0 && eq < pair.length() - 1, "bad query parameter '%s' in %s", pair, text);
      String key = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      switch (key) {
        case "source", "sources" -> {
          Preconditions.requireArgument(source == null, "more than one source in %s", text);
          source = literal(value, text);
        }
        case "interface", "localaddr" -> {
          Preconditions.requireArgument(networkInterface == null, "more than one interface in %s", text);
          Preconditions.requireArgument(value.matches("[A-Za-z0-9_.:%-]{1,64}"), "bad interface '%s' in %s",
              value, text);
          networkInterface = value;
        }
        case "buffer_size" -> {
          try {
            buffer = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad buffer_size '" + value + "' in " + text, e);
          }
          Preconditions.requireArgument(buffer >= 65536 && buffer <= 1 << 30, "buffer_size %d not in 64 KiB..1 GiB",
              buffer);
        }
        default -> throw new IllegalArgumentException("unknown parameter '" + key + "' in " + text
            + " (known: source, interface, buffer_size)");
      }
    }
    Preconditions.requireArgument(source == null || (address != null && address.isMulticastAddress()),
        "source= needs a multicast group in %s", text);
    Preconditions.requireArgument(source == null || source.getClass() == address.getClass(),
        "source and group of different IP versions in %s", text);
    return new SourceUri(kind, address, port, source, networkInterface, buffer, null);
  }

  @Override
  public String toString() {
    return switch (scheme) {
      case STDIN -> "-";
      case HTTP -> uri.toString();
      default -> scheme.name().toLowerCase(Locale.ROOT) + "://" + (address == null ? ""
          : address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress())
          + ":" + port + (source != null ? "?source=" + source.getHostAddress() : "")
          + (networkInterface != null ? (source != null ? "&" : "?") + "interface=" + networkInterface : "");
    };
  }

  private static InetAddress literal(String host, String text) {
    boolean ipv4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = host.contains(":") && host.matches("[0-9A-Fa-f:.%a-zA-Z]+");
    Preconditions.requireArgument(ipv4 || ipv6, "'%s' is not an IP address literal in %s", host, text);
    if (ipv4) {
      for (String octet : host.split("\\.")) {
        Preconditions.requireArgument(Integer.parseInt(octet) <= 255, "bad IPv4 address '%s' in %s", host, text);
      }
    }
    try {
      return InetAddress.getByName(host); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad IP address '" + host + "' in " + text, e);
    }
  }
}
