package io.stemcache.node.health;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.node.BacklogLimit;
import io.stemcache.node.StemcacheProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The member's health components, named after their beans: {@code member} (readiness group),
 * {@code memberRunning} (liveness group) and {@code database} (neither); the groups are set in
 * {@code application.yaml}.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    MemberReadiness memberHealthIndicator(HazelcastInstance hazelcast) {
        return new MemberReadiness(hazelcast);
    }

    @Bean
    MemberRunning memberRunningHealthIndicator(HazelcastInstance hazelcast) {
        return new MemberRunning(hazelcast);
    }

    @Bean(destroyMethod = "close")
    DatabaseHealth databaseHealthIndicator(
            DataSource dataSource,
            PostgresAnalysisStore store,
            BacklogLimit backlogLimit,
            StemcacheProperties properties) {
        return DatabaseHealth.start(
                dataSource, store.metrics(), backlogLimit, properties.health().databaseCheckInterval());
    }
}
