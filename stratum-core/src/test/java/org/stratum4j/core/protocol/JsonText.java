package org.stratum4j.core.protocol;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.stratum4j.core.testing.Json;

/** Writes a parsed test-vector value back as compact JSON text (test helper; jackson-free on purpose). */
final class JsonText {

    private JsonText() {
    }

    static String of(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Json.Num) {
            sb.append(new BigDecimal(((Json.Num) v).text()).toString());
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof String) {
            sb.append('"');
            for (char c : ((String) v).toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            sb.append('"');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : Json.asList(v)) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : Json.asMap(v).entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        }
    }
}
