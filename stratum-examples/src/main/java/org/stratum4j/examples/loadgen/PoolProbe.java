package org.stratum4j.examples.loadgen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads the example pool's {@code /stats} for its memory and connection figures, and, since the
 * pool runs on this machine, can ask its JVM for a full collection first ({@code jcmd PID GC.run})
 * so that "heap in use" means live objects.
 */
final class PoolProbe {

    /** The figures read. {@code -1} where the pool did not say. */
    record Sample(long pid, long connections, long sessions, long residentBytes, long heapUsedBytes, int threads, boolean collected) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private final URI stats;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PoolProbe(URI stats) {
        this.stats = stats;
    }

    /** One sample; with {@code collect}, after asking the pool's JVM for a full collection. */
    Sample sample(boolean collect) throws IOException, InterruptedException {
        Sample s = read(false);
        if (collect && s.pid() > 0 && gc(s.pid())) {
            return read(true);
        }
        return s;
    }

    private Sample read(boolean collected) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(stats + " answered HTTP " + r.statusCode());
        }
        long pid = -1;
        long connections = -1;
        long sessions = -1;
        long rss = -1;
        long heap = -1;
        int threads = -1;
        long v2 = 0;
        try (JsonParser p = JSON.createParser(r.body())) {
            int depth = 0;
            String section = "";
            String sub = "";
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                    if (depth == 2 && t == JsonToken.START_OBJECT) {
                        section = p.currentName() == null ? "" : p.currentName();
                    } else if (depth == 3 && t == JsonToken.START_OBJECT) {
                        sub = p.currentName() == null ? "" : p.currentName();
                    }
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t.isNumeric()) {
                    String name = p.currentName();
                    if (depth == 1 && "connections".equals(name)) {
                        connections = p.getLongValue();
                    } else if (depth == 1 && "sessions".equals(name)) {
                        sessions = p.getLongValue();
                    } else if (depth == 3 && section.equals("protocols") && sub.equals("v2") && "connections".equals(name)) {
                        // Stratum V2 connections are sessions too (V1's are counted at the top).
                        v2 = p.getLongValue();
                    } else if (depth == 2 && section.equals("process")) {
                        switch (name) {
                            case "pid" -> pid = p.getLongValue();
                            case "rss_bytes" -> rss = p.getLongValue();
                            case "heap_used_bytes" -> heap = p.getLongValue();
                            case "threads" -> threads = p.getIntValue();
                            default -> {
                                // other figures are not needed here
                            }
                        }
                    }
                }
            }
        }
        return new Sample(pid, connections, sessions < 0 ? sessions : sessions + v2, rss, heap, threads, collected);
    }

    /** Runs {@code jcmd PID GC.run} with this JVM's jcmd; false when it cannot. */
    private static boolean gc(long pid) throws InterruptedException {
        Path java = ProcessHandle.current().info().command().map(Path::of).orElse(null);
        if (java == null) {
            return false;
        }
        Path jcmd = java.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
