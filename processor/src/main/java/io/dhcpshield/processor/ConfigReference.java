package io.dhcpshield.processor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.storage.OperationalKeys;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration reference (docs/configuration.md), generated from the one config model: every config.yaml key
 * with its compiled default and meaning, read off {@link ProcessorConfig}'s records and their defaults, then every
 * Operational key of {@link OperationalKeys}. A test keeps the committed page equal to this output. The same walk
 * writes the packaged {@code /etc/dhcp-shield/config.yaml} ({@link #yaml()}): every key commented out at its default
 * with its meaning above it, so the file the operator edits cannot drift from the model either.
 */
public final class ConfigReference {

    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration reference\n\n");
        sb.append("Generated from the config model (`processor/.../ProcessorConfig.java`, `storage/.../OperationalKeys"
                + ".java`) by `ConfigReference`; `ConfigReferenceTest` fails when this page and the model disagree "
                + "(regenerate: `mvn -pl processor test -Dtest=ConfigReferenceTest -Dregenerate=true`).\n\n");
        sb.append("## Core config (`/etc/dhcp-shield/config.yaml`, read at start)\n\n");
        sb.append("Unknown keys and out-of-range values stop the daemon with a message naming the key "
                + "(`dhcp-processor --check-config`).\n\n");
        sb.append("| key | default | meaning |\n| --- | --- | --- |\n");
        walk(sb, "", ProcessorConfig.defaults());
        sb.append("\n## Operational config (ClickHouse `system_config`, changeable at runtime)\n\n");
        sb.append("Resolved database > YAML (`operational:` in config.yaml) > default; changed with "
                + "`PUT /api/v1/config/{key}` or `dpictl config set`, every change audited.\n\n");
        sb.append("| key | default | meaning |\n| --- | --- | --- |\n");
        for (OperationalKeys.Key<?> k : OperationalKeys.all()) {
            sb.append("| `").append(k.name()).append("` | `").append(k.format(k.defaultValue())).append("` | ")
                    .append(k.description()).append(" |\n");
        }
        return sb.toString();
    }

    private static void walk(StringBuilder sb, String prefix, Record section) {
        for (Key k : keys(section)) {
            String key = prefix + k.name();
            if (k.section() != null) {
                walk(sb, key + ".", k.section());
                continue;
            }
            sb.append("| `").append(key).append("` | ").append(show(k.value())).append(" | ")
                    .append(k.description() == null ? "" : k.description()).append(" |\n");
        }
    }

    /** One key of a config record: its YAML name, its value, its meaning (or null); a nested section's record. */
    private record Key(String name, Object value, String description, Record section) {
    }

    private static List<Key> keys(Record section) {
        List<Key> out = new ArrayList<>();
        for (RecordComponent c : section.getClass().getRecordComponents()) {
            JsonProperty name = c.getAccessor().getAnnotation(JsonProperty.class); // propagated from the component
            if (name == null) {
                continue;
            }
            Object value;
            try {
                value = c.getAccessor().invoke(section);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            JsonPropertyDescription d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
            Record nested = value instanceof Record r && !(value instanceof ProcessorConfig.RuleEntry) ? r : null;
            out.add(new Key(name.value(), value, d == null ? null : d.value(), nested));
        }
        return out;
    }

    private static String show(Object v) {
        if (v == null) {
            return "(none)";
        }
        if (v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()) {
            return "(empty)";
        }
        String s = String.valueOf(v);
        return s.isEmpty() ? "`\"\"`" : "`" + s.replace("|", "\\|") + "`";
    }

    /** Where the package's config.yaml lives in the repository (its test keeps it equal to {@link #yaml()}). */
    public static final String PACKAGED_YAML = "packaging/src/deb/config.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 116;

    /**
     * The packaged config.yaml: every key of the model commented out at its compiled default, its meaning above it,
     * sections and the Operational keys nested as the loader reads them. A key line is {@code #key: value} at the
     * key's own indentation (a comment is {@code # text}), so removing the {@code #} of a key and of its section's
     * line gives valid YAML; a file with nothing uncommented is the compiled defaults.
     */
    public static String yaml() {
        StringBuilder sb = new StringBuilder();
        comment(sb, "", "/etc/dhcp-shield/config.yaml: the Core configuration of dhcp-processor (and of dhcp-collector "
                + "and user-manager, which read the same file). Read at start: restart the service after a change.");
        comment(sb, "", "Every key is shown commented out at its compiled default, with its meaning above it. To "
                + "change one, remove the '#' in front of the key and in front of its section's line, keeping the "
                + "indentation. Unknown keys and bad values stop the daemon with a message naming the key; check a "
                + "change first with: /opt/dhcp-shield/bin/dhcp-processor --check-config");
        comment(sb, "", "Generated from the config model (processor/.../ProcessorConfig.java, storage/.../"
                + "OperationalKeys.java) by ConfigReference.yaml(); the same keys as a table: docs/configuration.md.");
        yamlWalk(sb, "", ProcessorConfig.defaults());
        return sb.toString();
    }

    private static void yamlWalk(StringBuilder sb, String indent, Record section) {
        for (Key k : keys(section)) {
            if (indent.isEmpty() || k.section() != null) {
                sb.append('\n'); // a blank line before each top-level key and each section
            }
            if (k.description() != null) {
                comment(sb, indent, k.description());
            }
            if (k.section() != null) {
                sb.append(indent).append('#').append(k.name()).append(":\n");
                yamlWalk(sb, indent + "  ", k.section());
            } else if (section instanceof ProcessorConfig && k.name().equals("operational")) {
                sb.append(indent).append('#').append(k.name()).append(":\n");
                operational(sb, indent + "  ");
            } else {
                sb.append(indent).append('#').append(k.name()).append(": ").append(scalar(k.value())).append('\n');
            }
        }
    }

    /** The Operational keys nested by their dotted names (operational.alarms.hold_seconds: alarms: hold_seconds:). */
    private static void operational(StringBuilder sb, String indent) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (OperationalKeys.Key<?> k : OperationalKeys.all()) {
            String[] parts = k.name().split("\\.");
            Map<String, Object> at = tree;
            for (int i = 1; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.computeIfAbsent(parts[i],
                        p -> new LinkedHashMap<String, Object>());
                at = next;
            }
            at.put(parts[parts.length - 1], k);
        }
        operational(sb, indent, tree);
    }

    private static void operational(StringBuilder sb, String indent, Map<String, Object> tree) {
        List<String> leavesFirst = new ArrayList<>();
        tree.forEach((name, v) -> {
            if (v instanceof OperationalKeys.Key<?>) {
                leavesFirst.add(name);
            }
        });
        tree.forEach((name, v) -> {
            if (!(v instanceof OperationalKeys.Key<?>)) {
                leavesFirst.add(name);
            }
        });
        for (String name : leavesFirst) {
            Object v = tree.get(name);
            if (v instanceof OperationalKeys.Key<?> k) {
                comment(sb, indent, k.description());
                String text = k.format(k.defaultValue());
                boolean bare = k.type() == Boolean.class || k.type() == Long.class || k.type() == Integer.class
                        || k.type() == Double.class;
                sb.append(indent).append('#').append(name).append(": ").append(bare ? text : scalar(text))
                        .append('\n');
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> sub = (Map<String, Object>) v;
                sb.append(indent).append('#').append(name).append(":\n");
                operational(sb, indent + "  ", sub);
            }
        }
    }

    /** A value in JSON, which is YAML's flow syntax: strings quoted, lists and maps in brackets, null as null. */
    private static String scalar(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code # text} lines at {@code indent}, wrapped at {@value #WIDTH} columns. */
    private static void comment(StringBuilder sb, String indent, String text) {
        StringBuilder line = new StringBuilder(indent).append('#');
        for (String word : text.split("\\s+")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length() + 1) {
                sb.append(line).append('\n');
                line = new StringBuilder(indent).append('#');
            }
            line.append(' ').append(word);
        }
        sb.append(line).append('\n');
    }

    public static void main(String[] args) {
        System.out.print(args.length > 0 && args[0].equals("--yaml") ? yaml() : markdown());
    }
}
