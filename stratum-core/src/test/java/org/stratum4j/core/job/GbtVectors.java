package org.stratum4j.core.job;

import java.util.List;
import java.util.Map;
import org.stratum4j.core.testing.Json;

/** The real templates of {@code gbt.json}, as JSON text the parser reads. */
final class GbtVectors {

    static final Map<String, Object> FILE = Json.resource("/vectors/gbt.json");

    private GbtVectors() {
    }

    static List<Map<String, Object>> all() {
        return Json.maps(FILE, "vectors");
    }

    static Map<String, Object> named(String name) {
        return all().stream().filter(v -> v.get("name").equals(name)).findFirst().orElseThrow();
    }

    /** The vector's getblocktemplate result as JSON text. */
    static String gbtJson(Map<String, Object> vector) {
        return Json.write(vector.get("gbt"));
    }

    static BlockTemplate template(String name) {
        return BlockTemplateParser.parse(gbtJson(named(name)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> expected(Map<String, Object> vector, String key) {
        return (Map<String, Object>) vector.get(key);
    }
}
