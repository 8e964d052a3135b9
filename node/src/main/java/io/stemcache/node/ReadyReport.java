package io.stemcache.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.node.database.JdbcUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says, once the node is up, where it listens and what it holds: the line an operator looks for. */
@Component
class ReadyReport {

    private static final Logger log = LoggerFactory.getLogger(ReadyReport.class);

    private final HazelcastInstance hazelcast;
    private final StemcacheProperties properties;
    private final Environment environment;

    ReadyReport(HazelcastInstance hazelcast, StemcacheProperties properties, Environment environment) {
        this.hazelcast = hazelcast;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        Member local = hazelcast.getCluster().getLocalMember();
        log.info(
                "stemcache node ready: member {} in cluster '{}' of {} member(s); map '{}' holds {} entries; "
                        + "database {}; LZ4 {}; management port {} (GET /actuator/health, /actuator/prometheus)",
                local.getAddress(),
                hazelcast.getConfig().getClusterName(),
                hazelcast.getCluster().getMembers().size(),
                properties.mapName(),
                hazelcast.getMap(properties.mapName()).size(),
                JdbcUrl.withoutSecrets(environment.getProperty("spring.datasource.url")),
                AnalysisCodec.lz4Implementation(),
                environment.getProperty("local.management.port"));
    }
}
