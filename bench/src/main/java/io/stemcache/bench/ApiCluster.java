package io.stemcache.bench;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.StemcacheClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Members and one API node on loopback, each in a JVM of its own ({@link BenchMember}, {@link BenchApiNode}),
 * over the run's database: the deployment the {@code http} and {@code pageload} commands measure. The API node
 * runs with the shipped {@code stemcache-api-client.yaml} pointed at these members ({@link ApiNodeFiles}); clients
 * of the driver's are built from the same file, so they have the API node's near-cache setting. The JWT secret is
 * made for the run and handed to the API node in its environment, never on a command line or in a file. The
 * members can be replaced by new ones on the same addresses and database ({@link #restartMembers}) while the API
 * node keeps running, as a full cluster restart.
 */
final class ApiCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String ISSUER = "https://bench.stemcache.invalid/auth/v1";
    private static final String AUDIENCE = "authenticated";

    private final String name;
    private final Path dir;
    private final Path clientYaml;
    private final JwtEncoder signer;
    private final List<String> addresses;
    private final List<String> memberJvm;
    private final String jdbcUrl;
    private final List<ChildJvm> members = new ArrayList<>();
    private final List<HazelcastInstance> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private int generation;
    private ChildJvm api;
    private URI base;

    private ApiCluster(
            String name,
            Path dir,
            Path clientYaml,
            JwtEncoder signer,
            List<String> addresses,
            List<String> memberJvm,
            String jdbcUrl) {
        this.name = name;
        this.dir = dir;
        this.clientYaml = clientYaml;
        this.signer = signer;
        this.addresses = addresses;
        this.memberJvm = memberJvm;
        this.jdbcUrl = jdbcUrl;
    }

    /** What a full restart of the members took, and what the members it stopped had loaded from PostgreSQL. */
    record Restart(Duration stopping, Duration total, long loadsOfStoppedMembers) {}

    /**
     * Starts {@code size} members (heap {@code memberHeapMb} each), then the API node (heap {@code apiHeapMb}),
     * and returns once the API node serves; whatever started is stopped again if a part fails.
     */
    static ApiCluster start(int size, int memberHeapMb, int apiHeapMb, BenchDatabase database) throws Exception {
        String name = BenchCluster.randomName();
        List<String> addresses =
                BenchCluster.freePorts(size).stream().map(p -> "127.0.0.1:" + p).toList();
        Path dir = Files.createTempDirectory("stemcache-bench-http-");
        Path yaml = dir.resolve(ApiNodeFiles.CLIENT_YAML);
        Files.writeString(yaml, ApiNodeFiles.clientYaml(name, addresses));
        Path application = dir.resolve("application.yaml");
        Files.writeString(application, ApiNodeFiles.applicationYaml());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        JwtEncoder signer = NimbusJwtEncoder.withSecretKey(
                        new SecretKeySpec(secretText.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .algorithm(MacAlgorithm.HS256)
                .build();
        ApiCluster cluster = new ApiCluster(name, dir, yaml, signer, addresses, heap(memberHeapMb), database.jdbcUrl());
        try {
            cluster.startMembers();
            cluster.api = ChildJvm.start(
                    "api-node",
                    BenchApiNode.class,
                    heap(apiHeapMb),
                    Map.of("STEMCACHE_API_JWT_SECRET", secretText),
                    List.of(
                            // The node jar on this classpath has an application.yaml too: name the API node's.
                            "--spring.config.location=file:" + application,
                            "--server.port=0",
                            // Health and Prometheus on a port of their own, as shipped, but a free one.
                            "--management.server.port=0",
                            "--spring.main.banner-mode=off",
                            "--stemcache.client.config=file:" + yaml,
                            "--stemcache.api.jwt.issuer=" + ISSUER,
                            "--stemcache.api.jwt.audience=" + AUDIENCE,
                            "--" + ProductRoute.JDBC_PROPERTY + "=" + database.jdbcUrl()),
                    dir);
            String ready = cluster.api.awaitReady(START_TIMEOUT);
            cluster.base = URI.create("http://127.0.0.1:" + ready.substring("port=".length()));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startMembers() throws InterruptedException {
        generation++;
        String suffix = generation == 1 ? "" : "-start-" + generation;
        for (int i = 0; i < addresses.size(); i++) {
            String port = addresses.get(i).substring(addresses.get(i).indexOf(':') + 1);
            members.add(ChildJvm.start(
                    "member-" + (i + 1) + suffix,
                    BenchMember.class,
                    memberJvm,
                    Map.of(),
                    List.of(name, port, String.join(",", addresses), jdbcUrl),
                    dir));
            if (i == 0) {
                // The first member alone makes the cluster; the others then join it, never a second one.
                members.get(0).awaitReady(START_TIMEOUT);
            }
        }
        for (ChildJvm member : members) {
            member.awaitReady(START_TIMEOUT);
        }
    }

    /**
     * A full cluster restart under the running API node: every member stops gracefully (write-behind flushed, see
     * {@link BenchMember}), one after the other, then as many new ones start on the same addresses and database, and
     * this returns once the API node's readiness ({@code /readyz}, its cluster connection included) answers 200
     * again. The driver's own clients are closed first: they would only retry the stopped members. Fails, naming the
     * member, if one does not stop cleanly.
     */
    Restart restartMembers() throws InterruptedException {
        long started = System.nanoTime();
        long loads = stopMembers();
        Duration stopping = Duration.ofNanos(System.nanoTime() - started);
        startMembers();
        awaitApiReady(START_TIMEOUT);
        return new Restart(stopping, Duration.ofNanos(System.nanoTime() - started), loads);
    }

    /**
     * Stops every member gracefully, one after the other (the driver's clients first), and returns how many entries
     * their stores loaded from PostgreSQL while they ran. Fails, naming the member's log, if one does not stop cleanly.
     */
    long stopMembers() throws InterruptedException {
        clients.forEach(c -> c.getLifecycleService().terminate());
        clients.clear();
        long loads = 0;
        while (!members.isEmpty()) {
            ChildJvm member = members.remove(0);
            if (!member.stop()) {
                throw new IllegalStateException("a member did not stop gracefully; its log: " + member.log());
            }
            String report = member.awaitReport(Duration.ofSeconds(10));
            loads += Long.parseLong(report.substring(report.indexOf("loads=") + "loads=".length())
                    .trim());
        }
        return loads;
    }

    /** Waits until the API node's {@code /readyz} answers 200 (it answers 503 while its client has no cluster). */
    void awaitApiReady(Duration timeout) {
        HttpRequest readyz = HttpRequest.newBuilder(base.resolve("/readyz"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        Awaitility.await("the API node's /readyz answering 200 after the members started")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> http.send(readyz, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
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
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .subject(user.toString())
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(2)))
                .claim("is_anonymous", false)
                .build();
        return signer.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
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
        // The API node's file starts its client in the background (it must start without the cluster); the driver
        // measures a connected client, so it waits for the connection.
        config.getConnectionStrategyConfig().setAsyncStart(false);
        HazelcastInstance client = StemcacheClient.connect(config);
        clients.add(client);
        int seen = client.getCluster().getMembers().size();
        if (seen != members.size()) {
            throw new IllegalStateException(
                    "the cluster has " + seen + " members, " + members.size() + " were started");
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
