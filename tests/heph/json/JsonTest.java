package heph.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class JsonTest {
    @Test
    void writesNestedValuesInInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "restart");
        m.put("pid", 42L);
        m.put("changed", true);
        m.put("old", null);
        m.put("args", List.of("a\"b", "c\nd"));
        assertEquals("{\"action\":\"restart\",\"pid\":42,\"changed\":true,\"old\":null,\"args\":[\"a\\\"b\",\"c\\nd\"]}",
                Json.write(m));
    }

    @Test
    void parseRoundTripsWhatItWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\tquote\"back\\slash\u0001");
        m.put("n", -12L);
        m.put("d", 1.5);
        m.put("l", Arrays.asList(true, false, null, "x"));
        m.put("o", Map.of());
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void malformedInputNamesTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertEquals("malformed JSON at offset 5: unexpected character '}'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2] x"));
    }

    /** A hostile file nested thousands deep (an applied record replaced by hand) is refused, not a stack overflow. */
    @Test
    void deepNestingIsRefusedNamingTheDepth() {
        String arrays = "[".repeat(5000) + "]".repeat(5000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(arrays));
        assertEquals("malformed JSON at offset 256: nested deeper than 256 levels", e.getMessage());
        String objects = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(objects));
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(deepest, Json.write(Json.parse(deepest)));
        String wide = "[" + "[1],".repeat(1000) + "[]]";
        assertEquals(1001, ((java.util.List<?>) Json.parse(wide)).size(), "depth counts nesting, not siblings");
    }
}
