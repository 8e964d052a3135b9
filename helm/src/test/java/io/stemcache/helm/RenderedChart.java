package io.stemcache.helm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes objects of one {@code helm template} run, with the look-ups the tests need. */
final class RenderedChart {

    private final List<Map<String, Object>> objects;

    private RenderedChart(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    static RenderedChart parse(String multiDocumentYaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(multiDocumentYaml)) {
            if (document != null) {
                objects.add(map(document));
            }
        }
        return new RenderedChart(objects);
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    boolean has(String kind) {
        return !all(kind).isEmpty();
    }

    /** The only object of {@code kind}; fails when there are none or several. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size() + ": " + names(found));
        }
        return found.get(0);
    }

    Map<String, Object> named(String kind, String name) {
        return all(kind).stream()
                .filter(o -> name.equals(at(o, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " among " + names(all(kind))));
    }

    Map<String, Object> container(Map<String, Object> workload, String name) {
        return list(at(workload, "spec", "template", "spec", "containers")).stream()
                .map(RenderedChart::map)
                .filter(c -> name.equals(c.get("name")))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no container " + name + " in " + at(workload, "metadata", "name")));
    }

    /**
     * The environment a container sees: ConfigMaps named in {@code envFrom}, then its own {@code env} (which
     * wins, as in Kubernetes). A secret reference reads {@code secret:NAME/KEY}.
     */
    Map<String, String> env(Map<String, Object> workload, String containerName) {
        Map<String, Object> container = container(workload, containerName);
        Map<String, String> env = new LinkedHashMap<>();
        for (Object source : list(container.getOrDefault("envFrom", List.of()))) {
            String configMap = (String) at(source, "configMapRef", "name");
            Objects.requireNonNull(configMap, "only configMapRef sources are expected in envFrom");
            map(named("ConfigMap", configMap).get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        for (Object variable : list(container.getOrDefault("env", List.of()))) {
            Object secret = at(variable, "valueFrom", "secretKeyRef");
            String value = secret != null
                    ? "secret:" + at(secret, "name") + "/" + at(secret, "key")
                    : String.valueOf(at(variable, "value"));
            env.put((String) at(variable, "name"), value);
        }
        return env;
    }

    /** Walks maps by key and lists by index; null where the path ends early. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(step);
            } else if (current instanceof List<?> l && step instanceof Integer i && i < l.size()) {
                current = l.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        if (!(node instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + node);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        if (!(node instanceof List)) {
            throw new AssertionError("expected a list, got " + node);
        }
        return (List<Object>) node;
    }

    static String annotation(Map<String, Object> object, String name) {
        Object value = at(object, "metadata", "annotations", name);
        return value == null ? null : value.toString();
    }

    private static List<String> names(List<Map<String, Object>> found) {
        return found.stream()
                .map(o -> o.get("kind") + "/" + at(o, "metadata", "name"))
                .toList();
    }
}
