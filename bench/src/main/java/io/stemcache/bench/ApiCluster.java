package io.stemcache.bench;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.StemcacheClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.yaml.snakeyaml.Yaml;

/**
 * Members and one API node on loopback, each in a JVM of its own ({@link BenchMember}, {@link BenchApiNode}),
 * over the run's database: the deployment the {@code http} command measures. The API node runs with the
 * shipped {@code stemcache-api-client.yaml} pointed at these members; clients of the driver's are built from
 * the same file, so they have the API node's near-cache setting. The JWT secret is made for the run and
 * handed to the API node in its environment, never on a command line or in a file.
 */
final class ApiCluster implements AutoCloseable {

    /** The API node's Hazelcast client configuration, in the api jar. */
    static final String CLIENT_YAML = "stemcache-api-client.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(ApiCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String ISSUER = "https://bench.stemcache.invalid/auth/v1";
    private static final String AUDIENCE = "authenticated";
    private static final String API_NAME = "stemcache-api";
    // The list's items (group 1), and the indentation of its first (group 2).
    private static final Pattern MEMBER_LIST = Pattern.compile("(?m)^[ ]*cluster-members:\\n(([ ]+)- .*\\n(?:[ ]+- .*\\n)*)");

    private final String name;
    private final Path dir;
    private final Path clientYaml;
    private final JwtEncoder signer;
    private final List<ChildJvm> members = new ArrayList<>();
    private final List<HazelcastInstance> clients = new ArrayList<>();
    private ChildJvm api;
    private URI base;

    private ApiCluster(String name, Path dir, Path clientYaml, JwtEncoder signer) {
        this.name = name;
        this.dir = dir;
        this.clientYaml = clientYaml;
        this.signer = signer;
    }

    /**
     * Starts {@code size} members (heap {@code memberHeapMb} each), then the API node (heap {@code apiHeapMb}),
     * and returns once the API node serves; whatever started is stopped again if a part fails.
     */
    static ApiCluster start(int size, int memberHeapMb, int apiHeapMb, BenchDatabase database) throws Exception {
        String name = BenchCluster.randomName();
        List<String> addresses = BenchCluster.freePorts(size).stream().map(p -> "127.0.0.1:" + p).toList();
        Path dir = Files.createTempDirectory("stemcache-bench-http-");
        Path yaml = dir.resolve(CLIENT_YAML);
        Files.writeString(yaml, clientYaml(name, addresses));
        Path application = dir.resolve("application.yaml");
        Files.writeString(application, apiApplicationYaml());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        JwtEncoder signer = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(
                secretText.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).algorithm(MacAlgorithm.HS256).build();
        ApiCluster cluster = new ApiCluster(name, dir, yaml, signer);
        try {
            List<String> memberJvm = heap(memberHeapMb);
            for (int i = 0; i < size; i++) {
                String port = addresses.get(i).substring(addresses.get(i).indexOf(':') + 1);
                cluster.members.add(ChildJvm.start("member-" + (i + 1), BenchMember.class, memberJvm, Map.of(),
                        List.of(name, port, String.join(",", addresses), database.jdbcUrl()), dir));
                if (i == 0) {
                    // The first member alone makes the cluster; the others then join it, never a second one.
                    cluster.members.get(0).awaitReady(START_TIMEOUT);
                }
            }
            for (ChildJvm member : cluster.members) {
                member.awaitReady(START_TIMEOUT);
            }
            cluster.api = ChildJvm.start("api-node", BenchApiNode.class, heap(apiHeapMb),
                    Map.of("STEMCACHE_API_JWT_SECRET", secretText), List.of(
                            // The node jar on this classpath has an application.yaml too: name the API node's.
                            "--spring.config.location=file:" + application,
                            "--server.port=0",
                            "--spring.main.banner-mode=off",
                            "--stemcache.client.config=file:" + yaml,
                            "--stemcache.client.near-cache-preload-directory=",
                            "--stemcache.api.jwt.issuer=" + ISSUER,
                            "--stemcache.api.jwt.audience=" + AUDIENCE,
                            "--" + ProductRoute.JDBC_PROPERTY + "=" + database.jdbcUrl()), dir);
            String ready = cluster.api.awaitReady(START_TIMEOUT);
            cluster.base = URI.create("http://127.0.0.1:" + ready.substring("port=".length()));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The API node's root, {@code http://127.0.0.1:PORT}. */
    URI base() {
        return base;
    }

    int size() {
        return members.size();
    }

    /** A user's bearer token for the API node, valid for two hours. */
    String token(UUID user) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().subject(user.toString()).issuer(ISSUER).audience(List.of(AUDIENCE))
                .issuedAt(now).expiresAt(now.plus(Duration.ofHours(2))).claim("is_anonymous", false).build();
        return signer.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    /**
     * A Hazelcast client in this JVM from the API node's own client file: with its near cache, or with that
     * near cache removed. Checks that it sees every member.
     */
    HazelcastInstance client(boolean nearCache) {
        ClientConfig config;
        try (InputStream in = Files.newInputStream(clientYaml)) {
            config = StemcacheClient.loadConfig(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + clientYaml, e);
        }
        config.setInstanceName(name + "-driver-" + clients.size());
        if (!nearCache) {
            config.getNearCacheConfigMap().clear();
        }
        HazelcastInstance client = StemcacheClient.connect(config);
        clients.add(client);
        int seen = client.getCluster().getMembers().size();
        if (seen != members.size()) {
            throw new IllegalStateException("the cluster has " + seen + " members, " + members.size() + " were started");
        }
        return client;
    }

    /** Stops the driver's clients, the API node, then the members; the folder of logs goes if all ended cleanly. */
    @Override
    public void close() {
        clients.forEach(c -> c.getLifecycleService().terminate());
        boolean clean = api == null || api.stop();
        for (ChildJvm member : members) {
            clean &= member.stop();
        }
        if (clean) {
            delete(dir);
        } else {
            LOG.warn("a JVM of the run did not stop cleanly; their logs are kept in {}", dir);
        }
    }

    /**
     * The shipped client file with this run's cluster name and members; checked by parsing it, so a change of
     * the shipped file's shape fails here, naming the file, rather than connecting somewhere else.
     */
    static String clientYaml(String clusterName, List<String> addresses) throws IOException {
        try (InputStream in = ApiCluster.class.getClassLoader().getResourceAsStream(CLIENT_YAML)) {
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
            throw new IllegalStateException(CLIENT_YAML + " has no network.cluster-members list to point at this run's members");
        }
        String indent = list.group(2);
        String yaml = shipped.substring(0, list.start(1))
                + addresses.stream().map(a -> indent + "- " + a + "\n").collect(Collectors.joining())
                + shipped.substring(list.end(1));
        yaml = yaml.replaceFirst("(?m)^([ ]*)cluster-name: .*$", "$1cluster-name: " + Matcher.quoteReplacement(clusterName));
        ClientConfig parsed;
        try (InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))) {
            parsed = StemcacheClient.loadConfig(in);
        }
        if (!parsed.getClusterName().equals(clusterName)
                || !parsed.getNetworkConfig().getAddresses().equals(addresses)) {
            throw new IllegalStateException(CLIENT_YAML + " no longer has the shape the bench rewrites (cluster-name and "
                    + "a network.cluster-members list): got cluster " + parsed.getClusterName()
                    + " and members " + parsed.getNetworkConfig().getAddresses());
        }
        return yaml;
    }

    /**
     * The API node's own {@code application.yaml}: of those on this classpath (the node jar has one too), the
     * one whose {@code spring.application.name} is {@value #API_NAME}.
     */
    static String apiApplicationYaml() throws IOException {
        List<String> found = new ArrayList<>();
        Enumeration<URL> candidates = ApiCluster.class.getClassLoader().getResources("application.yaml");
        while (candidates.hasMoreElements()) {
            URL candidate = candidates.nextElement();
            String text;
            try (InputStream in = candidate.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (new Yaml().load(text) instanceof Map<?, ?> root && root.get("spring") instanceof Map<?, ?> spring
                    && spring.get("application") instanceof Map<?, ?> application
                    && API_NAME.equals(application.get("name"))) {
                found.add(text);
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " application.yaml files on the classpath name the application "
                    + API_NAME + "; the api jar's one was expected");
        }
        return found.get(0);
    }

    private static List<String> heap(int mb) {
        return List.of("-Xms" + mb + "m", "-Xmx" + mb + "m", "-XX:+AlwaysPreTouch");
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
