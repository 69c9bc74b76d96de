package io.iptv.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
  @Test
  void parsesNestedValues() {
    Object value = MiniJson.parse(" {\"a\": [1, -2.5e1, \"x\\n\\u0041\"], \"b\": {\"t\": true, \"n\": null}} ");
    Map<?, ?> root = (Map<?, ?>) value;
    assertEquals(List.of(1L, -25.0, "x\nA"), root.get("a"));
    Map<?, ?> b = (Map<?, ?>) root.get("b");
    assertEquals(Boolean.TRUE, b.get("t"));
    assertNull(b.get("n"));
  }

  @Test
  void parsesEmptyContainers() {
    assertEquals(Map.of(), MiniJson.parse("{}"));
    assertEquals(List.of(), MiniJson.parse("[ ]"));
  }

  @Test
  void rejectsMalformedText() {
    assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("{\"a\": 1"));
    assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("[1,]"));
    assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("{} x"));
    assertThrows(IllegalArgumentException.class, () -> MiniJson.parse("\"\\q\""));
  }
}
