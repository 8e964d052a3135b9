package io.stemcache.bench;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import io.stemcache.node.MemberConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Hazelcast members in this process, built as the node builds them (its {@code hazelcast.yaml} plus
 * {@link MemberConfigs#withStore}, one {@link PostgresAnalysisStore} each), on loopback with a unique
 * cluster name and free ports; and clients of them, with or without the shipped near cache.
 */
final class BenchCluster implements AutoCloseable {

    /** The map the node and the client use by default. */
    static final String MAP = ClientSettings.DEFAULT_MAP_NAME;

    private final String name;
    private final List<String> addresses;
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<PostgresAnalysisStore> stores = new ArrayList<>();
    private final List<HazelcastInstance> clients = new ArrayList<>();

    private BenchCluster(String name, List<String> addresses) {
        this.name = name;
        this.addresses = addresses;
    }

    /**
     * Starts {@code size} members whose map store writes to {@code dataSource}; {@code mapSettings}
     * adjusts the node's map configuration (write-behind delay, eviction cap) before they start.
     */
    static BenchCluster start(int size, DataSource dataSource, Consumer<MapConfig> mapSettings) {
        String name = randomName();
        List<Integer> ports = freePorts(size);
        BenchCluster cluster =
                new BenchCluster(name, ports.stream().map(p -> "127.0.0.1:" + p).toList());
        try {
            for (int port : ports) {
                PostgresAnalysisStore store = new PostgresAnalysisStore(dataSource, StoreSettings.defaults());
                Config config = memberConfig(name, port, cluster.addresses, store);
                mapSettings.accept(config.getMapConfig(MAP));
                cluster.stores.add(store);
                cluster.members.add(Hazelcast.newHazelcastInstance(config));
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** A random cluster name of this run, so that no other cluster on the machine can join. */
    static String randomName() {
        return "stemcache-bench-"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36)
                        .toLowerCase(Locale.ROOT);
    }

    /**
     * The configuration of one member as the node builds it (its {@code hazelcast.yaml} and
     * {@link MemberConfigs#withStore}), on loopback {@code port}, joining {@code addresses} by TCP/IP.
     */
    static Config memberConfig(String clusterName, int port, List<String> addresses, PostgresAnalysisStore store) {
        Config config = MemberConfigs.withStore(new ClasspathYamlConfig("hazelcast.yaml"), MAP, store);
        config.setClusterName(clusterName).setInstanceName(clusterName + "-" + port);
        // Members on loopback find each other at once; no need to wait the default 5 s for more.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(addresses);
        return config;
    }

    /** A client of this cluster: the shipped {@code stemcache-client.yaml}, with or without its near cache. */
    HazelcastInstance client(boolean nearCache) {
        ClientConfig config = StemcacheClient.defaultConfig();
        config.setClusterName(name);
        config.setInstanceName(name + "-client-" + clients.size());
        config.getNetworkConfig().setAddresses(new ArrayList<>(addresses));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        if (!nearCache) {
            config.getNearCacheConfigMap().clear();
        }
        HazelcastInstance client = StemcacheClient.connect(config);
        clients.add(client);
        return client;
    }

    List<HazelcastInstance> members() {
        return members;
    }

    /** The members' PostgreSQL stores, one per member. */
    List<PostgresAnalysisStore> stores() {
        return stores;
    }

    /** Entries the members' stores loaded from PostgreSQL so far: the misses of memory. */
    long loads() {
        return stores.stream().mapToLong(s -> s.metrics().loads()).sum();
    }

    /** Primary entries held in the members' memory. */
    long entriesInMemory() {
        return members.stream()
                .mapToLong(m -> m.getMap(MAP).getLocalMapStats().getOwnedEntryCount())
                .sum();
    }

    /** Bytes the members' primary entries cost, by Hazelcast's own accounting (what the memory cap limits). */
    long ownedCost() {
        return members.stream()
                .mapToLong(m -> m.getMap(MAP).getLocalMapStats().getOwnedEntryMemoryCost())
                .sum();
    }

    /** Backup entries the members hold. */
    long backupEntries() {
        return members.stream()
                .mapToLong(m -> m.getMap(MAP).getLocalMapStats().getBackupEntryCount())
                .sum();
    }

    /** Bytes the members' backup entries cost. */
    long backupCost() {
        return members.stream()
                .mapToLong(m -> m.getMap(MAP).getLocalMapStats().getBackupEntryMemoryCost())
                .sum();
    }

    /** Terminates clients and members at once: the benchmark's data is dropped with its database anyway. */
    @Override
    public void close() {
        clients.forEach(c -> c.getLifecycleService().terminate());
        members.forEach(m -> m.getLifecycleService().terminate());
    }

    /** {@code count} loopback ports that were free a moment ago. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free ports on loopback", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // The port was only probed.
                }
            }
        }
    }
}
