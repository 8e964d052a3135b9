package io.stemcache.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: positional ones and {@code --name value} (or {@code --name=value}) options.
 * Unknown options and malformed values throw {@link UsageException} naming the option.
 */
final class Options {

    private final List<String> positional;
    private final Map<String, String> named;

    private Options(List<String> positional, Map<String, String> named) {
        this.positional = positional;
        this.named = named;
    }

    /** Parses {@code args}; only options in {@code known} (names without dashes) are accepted. */
    static Options parse(List<String> args, Set<String> known) {
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (!known.contains(name)) {
                throw new UsageException(
                        "unknown option --" + name + "; this command knows --" + String.join(", --", known));
            }
            if (named.put(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return new Options(List.copyOf(positional), named);
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String name) {
        return named.containsKey(name);
    }

    String text(String name, String fallback) {
        return named.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        String value = named.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException(
                "option --" + name + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
    }

    double number(String name, double fallback, double min, double max) {
        String value = named.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageException(
                "option --" + name + " must be a number from " + min + " to " + max + ", got '" + value + "'");
    }
}
