package io.stemcache.api;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.MemberConfigs;
import io.stemcache.node.maintenance.MaintenanceSettings;
import io.stemcache.node.maintenance.PostgresMemberServices;
import io.stemcache.node.stats.MemberStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Two real members on loopback ports of their own with the PostgreSQL store (a fresh database), and the API node
 * as it runs, its Hazelcast client connected to them over sockets. The members can be terminated (all, or one, as a
 * crash would) or shut down gracefully, and started again on the same ports and database, and the API node started
 * before any member is up. Close it last.
 */
final class ApiCluster implements AutoCloseable {

    static final String SECRET = "test-secret-that-is-at-least-32-bytes-long!";
    static final String ISSUER = "https://project.supabase.co/auth/v1";
    static final String AUDIENCE = "authenticated";
    static final String MAP = "analyses";

    private final FreshDatabase database;
    private final String clusterName;
    private final int[] ports;
    private final Path clientYaml;
    private final List<HazelcastInstance> members = new ArrayList<>();
    /** Per running member (in {@link #members}' order): its port, and its statistics when they are recorded. */
    private final List<Integer> memberPorts = new ArrayList<>();

    private final List<MemberStatistics> memberStatistics = new ArrayList<>();
    private Duration statisticsInterval;
    private final JwtEncoder signer = hs256(SECRET);
    private ConfigurableApplicationContext api;

    private ApiCluster(String name) throws IOException {
        this.database = FreshDatabase.createMigrated(name);
        this.clusterName =
                "stemcache-" + name + "-it-" + UUID.randomUUID().toString().substring(0, 8);
        this.ports = new int[] {freePort(), freePort()};
        String yaml = new String(
                        getClass()
                                .getClassLoader()
                                .getResourceAsStream("stemcache-api-client.yaml")
                                .readAllBytes(),
                        StandardCharsets.UTF_8)
                .replace("cluster-name: stemcache", "cluster-name: " + clusterName)
                .replaceAll(
                        "(?m)^(\\s+)- 127\\.0\\.0\\.1:5701$",
                        "$1- 127.0.0.1:" + ports[0] + "\n$1- 127.0.0.1:" + ports[1])
                .replaceAll("(?m)^\\s+- 127\\.0\\.0\\.1:570[23]\\n", "")
                // Several API nodes of a test share this file: a preloader directory serves one process only.
                .replaceAll("(?m)^(\\s+preloader:\\n\\s+enabled:) true$", "$1 false");
        if (!yaml.contains("preloader:\n        enabled: false")) {
            throw new IllegalStateException(
                    "stemcache-api-client.yaml no longer has the preloader this test switches off");
        }
        this.clientYaml = Files.createTempFile("stemcache-api-client", ".yaml");
        Files.writeString(clientYaml, yaml);
    }

    /** A database and ports, nothing started yet. */
    static ApiCluster create(String name) throws IOException {
        return new ApiCluster(name);
    }

    /** Members, then the API node with {@code properties} over the defaults ({@link #startApi}). */
    static ApiCluster start(String name, Map<String, String> properties) throws IOException {
        ApiCluster cluster = create(name);
        try {
            cluster.startMembers();
            cluster.startApi(properties);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Members started from now on run the node's statistics as {@link MemberStatistics} (counters published every
     * second, a {@code cache_statistics} row every {@code persistInterval} by the oldest), as a node does.
     */
    ApiCluster recordStatistics(Duration persistInterval) {
        this.statisticsInterval = persistInterval;
        return this;
    }

    /**
     * Starts a member on each port that has none: all of them (again, on the same ports and database after
     * {@link #stopMembers} or {@link #shutdownMembers}), or the one {@link #terminateMember} left free.
     */
    ApiCluster startMembers() {
        for (int port : ports) {
            if (!memberPorts.contains(port)) {
                startMember(port);
            }
        }
        return this;
    }

    private void startMember(int port) {
        PostgresAnalysisStore store = new PostgresAnalysisStore(database.dataSource(), StoreSettings.defaults());
        PostgresMemberServices services =
                new PostgresMemberServices(database.dataSource(), MaintenanceSettings.defaults(MAP));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig(port, store, services));
        members.add(member);
        memberPorts.add(port);
        memberStatistics.add(
                statisticsInterval == null
                        ? null
                        : MemberStatistics.start(
                                member,
                                MAP,
                                store,
                                services,
                                database.dataSource(),
                                Duration.ofSeconds(1),
                                statisticsInterval));
    }

    /** Terminates every member at once, as a crash would (write-behind entries not yet stored are lost). */
    void stopMembers() {
        while (!members.isEmpty()) {
            terminateMember(0);
        }
    }

    /**
     * Stops every member gracefully, as the node does: the write-behind queues flushed to PostgreSQL first (the last
     * members to stop would not wait for them, hazelcast#12874), then each member shut down in turn.
     */
    void shutdownMembers() {
        if (!members.isEmpty()) {
            members.get(0).getMap(MAP).flush();
        }
        while (!members.isEmpty()) {
            closeStatistics(0);
            members.get(0).shutdown();
            forget(0);
        }
    }

    /** Terminates the {@code index}-th running member abruptly (a crash); the others go on. */
    void terminateMember(int index) {
        closeStatistics(index);
        members.get(index).getLifecycleService().terminate();
        forget(index);
    }

    private void closeStatistics(int index) {
        MemberStatistics statistics = memberStatistics.get(index);
        if (statistics != null) {
            statistics.close();
        }
    }

    private void forget(int index) {
        members.remove(index);
        memberPorts.remove(index);
        memberStatistics.remove(index);
    }

    /**
     * Starts the API node on random ports (main and management), as command-line arguments, which outrank its
     * application.yaml: the test's JWT secret, issuer and audience, overridden or added to by {@code properties}.
     */
    ConfigurableApplicationContext startApi(Map<String, String> properties) {
        api = run(properties);
        return api;
    }

    /** Another API node on the same members, as {@link #startApi} starts one; the caller closes it. */
    ConfigurableApplicationContext startExtraApi(Map<String, String> properties) {
        return run(properties);
    }

    private ConfigurableApplicationContext run(Map<String, String> properties) {
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put("server.port", "0");
        merged.put("management.server.port", "0");
        // The node (test scope, for members) brings JDBC, Liquibase and Hazelcast member starters the API node's
        // own jar does not have.
        merged.put(
                "spring.autoconfigure.exclude",
                String.join(
                        ",",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
                        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
                        "org.springframework.boot.hazelcast.autoconfigure.HazelcastAutoConfiguration",
                        "org.springframework.boot.hazelcast.autoconfigure.health.HazelcastHealthContributorAutoConfiguration"));
        merged.put("stemcache.client.config", "file:" + clientYaml);
        merged.put("stemcache.api.jwt.secret", SECRET);
        merged.put("stemcache.api.jwt.issuer", ISSUER);
        merged.put("stemcache.api.jwt.audience", AUDIENCE);
        merged.putAll(properties);
        return new SpringApplicationBuilder(ApiApplication.class)
                .run(merged.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    private Config memberConfig(int port, PostgresAnalysisStore store, PostgresMemberServices services) {
        Config config = MemberConfigs.withStore(new ClasspathYamlConfig("hazelcast.yaml"), MAP, store, services);
        config.setClusterName(clusterName);
        config.getMapConfig(MAP).getMapStoreConfig().setWriteDelaySeconds(1);
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]));
        return config;
    }

    FreshDatabase database() {
        return database;
    }

    /** The running members (empty while stopped); the list follows restarts. */
    List<HazelcastInstance> members() {
        return members;
    }

    ConfigurableApplicationContext api() {
        return api;
    }

    /** http://127.0.0.1:port of the API. */
    String base() {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) api).getWebServer().getPort();
    }

    /** http://127.0.0.1:port of the management server (health, Prometheus). */
    String management() {
        return "http://127.0.0.1:" + api.getEnvironment().getRequiredProperty("local.management.port");
    }

    /** A user's token as the identity provider signs it (HS256, the test issuer and audience, 5 minutes). */
    String userToken(UUID user) {
        return token(user, Map.of());
    }

    /** An admin's token: the default admin role in {@code app_metadata.role}. */
    String adminToken(UUID user) {
        return token(user, Map.of("app_metadata", Map.of("role", "stemcache-admin")));
    }

    private String token(UUID user, Map<String, Object> extra) {
        Instant expires = Instant.now().plusSeconds(300);
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject(user.toString())
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .issuedAt(expires.minusSeconds(600))
                .expiresAt(expires)
                .claim("is_anonymous", false);
        extra.forEach(claims::claim);
        return signer.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
    }

    static JwtEncoder hs256(String secret) {
        return NimbusJwtEncoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256)
                .build();
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        stopMembers();
        database.close();
        try {
            Files.deleteIfExists(clientYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
