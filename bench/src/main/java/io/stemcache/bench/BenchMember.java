package io.stemcache.bench;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.util.Arrays;
import java.util.List;

/**
 * One member in a JVM of its own ({@link ChildJvm}), built as {@link BenchCluster} builds its in-process
 * ones, its store writing to the run's database through a pool of its own. Arguments:
 * {@code CLUSTER_NAME PORT ADDRESS,ADDRESS,... JDBC_URL}. It stops as the node does: the write-behind queue
 * flushed to PostgreSQL, then a graceful shutdown (its partitions handed to the members that stay), so a full
 * restart of the cluster ({@link ApiCluster#restartMembers}) finds every entry in the database. Its report line
 * says how many entries its store loaded from PostgreSQL while it ran.
 */
final class BenchMember {

    private static final int POOL_SIZE = 4;

    private BenchMember() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println(
                    "usage: BenchMember CLUSTER_NAME PORT ADDRESS,... JDBC_URL; got " + Arrays.toString(args));
            System.exit(2);
        }
        try {
            serve(args[0], Integer.parseInt(args[1]), List.of(args[2].split(",")), args[3]);
        } catch (Throwable e) {
            // The driver shows the end of this JVM's output; Hazelcast's threads must not keep it alive.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void serve(String cluster, int port, List<String> addresses, String jdbcUrl) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(BenchDatabase.USER);
        pool.setPoolName(cluster + "-" + port);
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setMinimumIdle(1);
        // As the node's pool: pgjdbc's errors carry no row values (guest tokens among them).
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            PostgresAnalysisStore store = new PostgresAnalysisStore(dataSource, StoreSettings.defaults());
            HazelcastInstance member =
                    Hazelcast.newHazelcastInstance(BenchCluster.memberConfig(cluster, port, addresses, store));
            ChildJvm.ready("member " + member.getCluster().getLocalMember().getAddress() + " of "
                    + member.getCluster().getMembers().size());
            ChildJvm.awaitEndOfInput();
            // Hazelcast's own shutdown does not wait for dirty entries when the whole cluster stops.
            member.getMap(BenchCluster.MAP).flush();
            member.getLifecycleService().shutdown();
            ChildJvm.report("loads=" + store.metrics().loads());
        }
    }
}
