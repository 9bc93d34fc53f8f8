package org.stratum4j.examples.pool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stratum4j.core.bitcoin.Difficulty;

/**
 * The example tools' command lines: {@code --name value} flags (or {@code --name=value}), an
 * optional {@code --config FILE} of {@code name = value} lines whose values the command line
 * overrides, help text from one table of options, and value parsers whose {@link ConfigException}
 * names the flag, the value and what is allowed. Shared by the pool and the proxy.
 */
public final class CommandLine {

    /** One flag: its name, value placeholder (null for none), default shown in help, and help text. */
    public record Option(String name, String value, String fallback, String help) {
    }

    private final List<Option> options;

    /** A command line of these flags (include {@code config} to allow a config file). */
    public CommandLine(List<Option> options) {
        this.options = List.copyOf(options);
    }

    /**
     * The flags in {@code args}, after those of the {@code --config} file they name (the command
     * line wins): each flag's values in order, {@code "true"} for a flag without a value.
     *
     * @throws ConfigException on an unknown flag, a missing value, or an unreadable config file
     */
    public Map<String, List<String>> read(String... args) throws ConfigException {
        Map<String, List<String>> cli = read(List.of(args), "");
        Map<String, List<String>> all = new LinkedHashMap<>();
        if (cli.containsKey("config")) {
            Path file = Path.of(single(cli, "config"));
            all.putAll(readFile(file));
        }
        all.putAll(cli);
        return all;
    }

    private Map<String, List<String>> read(List<String> args, String where) throws ConfigException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "'" + where + "; options start with -- (see --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option o = option(name, where);
            if (o.value() == null) {
                if (value != null) {
                    throw new ConfigException("--" + name + " takes no value" + where);
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new ConfigException("--" + name + " needs a value: " + o.value() + where);
                }
                value = args.get(++i);
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private Map<String, List<String>> readFile(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            args.add("--" + name);
            if (eq >= 0) {
                args.add(line.substring(eq + 1).strip());
            }
        }
        Map<String, List<String>> out = read(args, " in " + file);
        if (out.containsKey("config")) {
            throw new ConfigException("config file " + file + " names another config file; nesting is not supported");
        }
        return out;
    }

    private Option option(String name, String where) throws ConfigException {
        for (Option o : options) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new ConfigException("unknown option --" + name + where + " (see --help)");
    }

    /** The one value of flag {@code name}, which {@code m} holds. @throws ConfigException when it was given more than once */
    public static String single(Map<String, List<String>> m, String name) throws ConfigException {
        List<String> v = m.get(name);
        if (v.size() > 1) {
            throw new ConfigException("--" + name + " is given " + v.size() + " times; it takes one value");
        }
        return v.get(0);
    }

    /** Ports with optional starting difficulties ({@code PORT[:DIFF]}, repeatable or comma-separated). */
    public static List<PoolConfig.Port> ports(String flag, List<String> values) throws ConfigException {
        List<PoolConfig.Port> out = new ArrayList<>();
        for (String v : values) {
            for (String item : v.split(",")) {
                String s = item.strip();
                int colon = s.indexOf(':');
                int port = port(flag, colon < 0 ? s : s.substring(0, colon));
                Difficulty d = null;
                if (colon >= 0) {
                    try {
                        d = difficulty(flag, s.substring(colon + 1));
                    } catch (ConfigException e) {
                        throw new ConfigException("--" + flag + " " + s + ": a difficulty is a positive number like 1024 or 0.001");
                    }
                }
                out.add(new PoolConfig.Port(port, d));
            }
        }
        return List.copyOf(out);
    }

    /** A port, 0..65535 (0: any free port). */
    public static int port(String flag, String v) throws ConfigException {
        try {
            int p = Integer.parseInt(v.strip());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ConfigException("--" + flag + " " + v + ": a port is a number 1..65535 (0: any free port)");
    }

    /** A positive difficulty. */
    public static Difficulty difficulty(String flag, String v) throws ConfigException {
        try {
            Difficulty d = Difficulty.of(v.strip());
            if (d.toDouble() > 0) {
                return d;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message
        }
        throw new ConfigException("--" + flag + " " + v + ": a difficulty is a positive number like 1024 or 0.001");
    }

    /** A number within {@code min..max}. */
    public static double number(String flag, String v, double min, double max) throws ConfigException {
        try {
            double d = Double.parseDouble(v.strip());
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ConfigException("--" + flag + " " + v + ": expected a number " + fmt(min) + ".." + fmt(max));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** One of {@code type}'s constants, by name in any case. */
    public static <E extends Enum<E>> E choice(String flag, String v, Class<E> type) throws ConfigException {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.strip())) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new ConfigException("--" + flag + " " + v + ": use " + String.join(" or ", allowed));
    }

    /** An address of this machine (or a name that resolves). */
    public static InetAddress address(String flag, String v) throws ConfigException {
        try {
            return InetAddress.getByName(v.strip());
        } catch (UnknownHostException e) {
            throw new ConfigException("--" + flag + " " + v + " is not an address of this machine");
        }
    }

    /** A whole number within {@code min..max}. */
    public static int whole(String flag, String v, int min, int max) throws ConfigException {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ConfigException("--" + flag + " " + v + ": expected a whole number " + min + ".." + max);
    }

    /**
     * Refuses flags that would be silently ignored: when {@code applies} is false and any of
     * {@code flags} was given, says they are used only with {@code what}.
     */
    public static void onlyWith(Map<String, List<String>> m, boolean applies, String what, String... flags) throws ConfigException {
        if (applies) {
            return;
        }
        List<String> given = new ArrayList<>();
        for (String f : flags) {
            if (m.containsKey(f)) {
                given.add("--" + f);
            }
        }
        if (!given.isEmpty()) {
            throw new ConfigException(String.join(" and ", given) + (given.size() == 1 ? " is" : " are") + " used only with " + what);
        }
    }

    /**
     * Refuses a starting difficulty that the difficulty range would silently change: the engine
     * would clamp it, and miners would not get what the operator asked for.
     *
     * @param flag    how the difficulty was given ({@code --difficulty 0.5}, {@code --port 3334:0.5};
     *                {@code the default --difficulty 1024} when it was not)
     * @param minFlag the floor's flag, optionally followed by where its value came from
     *                ({@code --vardiff-min (its default)}); the advice names the flag alone
     * @param maxFlag the same for the ceiling ({@code max} null: none)
     */
    public static void withinRange(String flag, Difficulty d, Difficulty min, String minFlag, Difficulty max, String maxFlag)
            throws ConfigException {
        if (d.compareTo(min) < 0) {
            throw new ConfigException(flag + " is below " + minFlag + " " + min + "; lower " + minFlag.split(" ")[0]
                    + " or raise the difficulty (vardiff never goes below its minimum)");
        }
        if (max != null && d.compareTo(max) > 0) {
            throw new ConfigException(flag + " is above " + maxFlag + " " + max + "; raise " + maxFlag.split(" ")[0]
                    + " or lower the difficulty (vardiff never goes above its maximum)");
        }
    }

    /** {@code usage} followed by every flag with its default. */
    public String help(String usage) {
        StringBuilder b = new StringBuilder(usage);
        for (Option o : options) {
            String head = "  --" + o.name() + (o.value() == null ? "" : " " + o.value());
            b.append(head);
            b.append(" ".repeat(Math.max(2, 44 - head.length())));
            b.append(o.help());
            if (!o.fallback().isEmpty()) {
                b.append(" (default: ").append(o.fallback()).append(')');
            }
            b.append('\n');
        }
        return b.toString();
    }
}
