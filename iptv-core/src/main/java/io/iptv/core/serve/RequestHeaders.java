package io.iptv.core.serve;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read access to the header fields of a request, by case-insensitive name. Adapters implement it over their
 * server's own header map, so nothing is copied per request.
 *
 * <p>Implementations are used by one request at a time.
 *
 * <pre>{@code
 * RequestHeaders headers = RequestHeaders.of(Map.of("Range", List.of("bytes=0-99")));
 * headers.first("range"); // "bytes=0-99"
 * }</pre>
 */
public interface RequestHeaders {
  /** The first value of the field {@code name} (case-insensitive), or {@code null} if absent. */
  String first(String name);

  /** The size of all header lines, {@code name: value CRLF}, in bytes (an estimate is fine). */
  int sizeBytes();

  /** No headers. */
  static RequestHeaders none() {
    return of(Map.of());
  }

  /** Headers from a map of field name to values (copied). */
  static RequestHeaders of(Map<String, List<String>> fields) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int size = 0;
    for (Map.Entry<String, List<String>> e : fields.entrySet()) {
      copy.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(e.getValue()));
      for (String value : e.getValue()) {
        size += e.getKey().length() + value.length() + 4;
      }
    }
    int sizeBytes = size;
    return new RequestHeaders() {
      @Override
      public String first(String name) {
        List<String> values = copy.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
      }

      @Override
      public int sizeBytes() {
        return sizeBytes;
      }
    };
  }
}
