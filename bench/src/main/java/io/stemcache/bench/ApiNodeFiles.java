package io.stemcache.bench;

import com.hazelcast.client.config.ClientConfig;
import io.stemcache.client.StemcacheClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * The API node's own configuration files, as {@link ApiCluster} hands them to its JVM: the shipped Hazelcast
 * client file pointed at the run's members, and the api jar's {@code application.yaml}, picked out of the
 * classpath where the node jar's has the same name.
 */
final class ApiNodeFiles {

    /** The API node's Hazelcast client configuration, in the api jar. */
    static final String CLIENT_YAML = "stemcache-api-client.yaml";

    private static final String API_NAME = "stemcache-api";
    // The list's items (group 1), and the indentation of its first (group 2).
    private static final Pattern MEMBER_LIST =
            Pattern.compile("(?m)^[ ]*cluster-members:\\n(([ ]+)- .*\\n(?:[ ]+- .*\\n)*)");

    private ApiNodeFiles() {}

    /**
     * The shipped client file with this run's cluster name and members; checked by parsing it, so a change of
     * the shipped file's shape fails here, naming the file, rather than connecting somewhere else.
     */
    static String clientYaml(String clusterName, List<String> addresses) throws IOException {
        try (InputStream in = ApiNodeFiles.class.getClassLoader().getResourceAsStream(CLIENT_YAML)) {
            if (in == null) {
                throw new IllegalStateException(CLIENT_YAML + " (the api jar) is missing from the classpath");
            }
            return clientYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), clusterName, addresses);
        }
    }

    /** {@code shipped}, a client file of {@value #CLIENT_YAML}'s shape, with this cluster name and these members. */
    static String clientYaml(String shipped, String clusterName, List<String> addresses) throws IOException {
        Matcher list = MEMBER_LIST.matcher(shipped);
        if (!list.find()) {
            throw new IllegalStateException(
                    CLIENT_YAML + " has no network.cluster-members list to point at this run's members");
        }
        String indent = list.group(2);
        String yaml = shipped.substring(0, list.start(1))
                + addresses.stream().map(a -> indent + "- " + a + "\n").collect(Collectors.joining())
                + shipped.substring(list.end(1));
        yaml = yaml.replaceFirst(
                "(?m)^([ ]*)cluster-name: .*$", "$1cluster-name: " + Matcher.quoteReplacement(clusterName));
        // As measured runs start cold: no near-cache keys saved by an earlier run are read back.
        yaml = yaml.replaceAll("(?m)^(\\s+preloader:\\n\\s+enabled:) true$", "$1 false");
        ClientConfig parsed;
        try (InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))) {
            parsed = StemcacheClient.loadConfig(in);
        }
        if (!parsed.getClusterName().equals(clusterName)
                || !parsed.getNetworkConfig().getAddresses().equals(addresses)
                || parsed.getNearCacheConfigMap().values().stream()
                        .anyMatch(nearCache -> nearCache.getPreloaderConfig().isEnabled())) {
            throw new IllegalStateException(CLIENT_YAML + " no longer has the shape the bench rewrites (cluster-name, "
                    + "a network.cluster-members list and the near cache's preloader.enabled): got cluster "
                    + parsed.getClusterName() + " and members "
                    + parsed.getNetworkConfig().getAddresses());
        }
        return yaml;
    }

    /**
     * The API node's own {@code application.yaml}: of those on this classpath (the node jar has one too), the
     * one whose {@code spring.application.name} is {@value #API_NAME}.
     */
    static String applicationYaml() throws IOException {
        List<String> found = new ArrayList<>();
        Enumeration<URL> candidates = ApiNodeFiles.class.getClassLoader().getResources("application.yaml");
        while (candidates.hasMoreElements()) {
            URL candidate = candidates.nextElement();
            String text;
            try (InputStream in = candidate.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (new Yaml().load(text) instanceof Map<?, ?> root
                    && root.get("spring") instanceof Map<?, ?> spring
                    && spring.get("application") instanceof Map<?, ?> application
                    && API_NAME.equals(application.get("name"))) {
                found.add(text);
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(
                    found.size() + " application.yaml files on the classpath name the application " + API_NAME
                            + "; the api jar's one was expected");
        }
        return found.get(0);
    }
}
