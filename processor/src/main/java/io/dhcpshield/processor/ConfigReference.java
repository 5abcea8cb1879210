package io.dhcpshield.processor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dhcpshield.storage.OperationalKeys;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * The configuration reference (docs/configuration.md), generated from the one config model: every config.yaml key
 * with its compiled default and meaning, read off {@link ProcessorConfig}'s records and their defaults, then every
 * Operational key of {@link OperationalKeys}. A test keeps the committed page equal to this output.
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
            String key = prefix + name.value();
            if (value instanceof Record r && !(value instanceof ProcessorConfig.RuleEntry)) {
                walk(sb, key + ".", r);
                continue;
            }
            JsonPropertyDescription d = c.getAccessor().getAnnotation(JsonPropertyDescription.class);
            sb.append("| `").append(key).append("` | ").append(show(value)).append(" | ")
                    .append(d == null ? "" : d.value()).append(" |\n");
        }
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

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
