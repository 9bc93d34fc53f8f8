package org.stratum4j.core.protocol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stratum4j.core.testing.Json;

/** Compares JSON texts by meaning (numbers by value, key order ignored), using jackson as the reference parser. */
final class JsonSemantics {

    private JsonSemantics() {
    }

    /** A normal form of a JSON line: maps, lists, strings, BigDecimal numbers, booleans, nulls. */
    static Object normal(String jsonLine) {
        return normalize(Json.parse(jsonLine));
    }

    private static Object normalize(Object o) {
        if (o instanceof Json.Num) {
            return new BigDecimal(((Json.Num) o).text()).stripTrailingZeros();
        }
        if (o instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            Json.asMap(o).forEach((k, v) -> out.put(k, normalize(v)));
            return out;
        }
        if (o instanceof List) {
            List<Object> out = new ArrayList<>();
            Json.asList(o).forEach(v -> out.add(normalize(v)));
            return out;
        }
        return o;
    }
}
