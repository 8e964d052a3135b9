package io.stemcache.node;

import com.hazelcast.config.PartitionGroupConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapPartitionLostEvent;
import com.hazelcast.map.listener.MapPartitionLostListener;
import com.hazelcast.spi.partitiongroup.PartitionGroupMetaData;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions of the analysis map whose owner and every backup left at once (two members of one Kubernetes
 * node, say, with backup count 1 and no partition group): each is logged and counted
 * ({@code stemcache.partitions.lost}). Their entries not yet in PostgreSQL are gone; the rest reads back from
 * PostgreSQL. Hazelcast delivers each loss to the listener of every member, so every member counts every
 * loss of the cluster it saw (scope {@code cluster}: alert on any member's increase, never sum them).
 */
final class PartitionLosses implements MeterBinder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLosses.class);

    private final HazelcastInstance hazelcast;
    private final String mapName;
    private final AtomicLong lost = new AtomicLong();
    private final UUID registration;

    PartitionLosses(HazelcastInstance hazelcast, String mapName) {
        this.hazelcast = hazelcast;
        this.mapName = mapName;
        int backups = hazelcast.getConfig().getMapConfig(mapName).getTotalBackupCount();
        MapPartitionLostListener listener = event -> onLost(event, backups);
        this.registration = hazelcast.getMap(mapName).addPartitionLostListener(listener);
    }

    private void onLost(MapPartitionLostEvent event, int backups) {
        lost.incrementAndGet();
        log.error(
                "map '{}' lost partition {}: its owner and all {} backup(s) left at once; the partition's entries not "
                        + "yet stored in PostgreSQL are lost, the others are read back from PostgreSQL ({} lost so far; "
                        + "a node- or zone-aware partition-group and the chart's anti-affinity keep replicas apart)",
                mapName,
                event.getPartitionId(),
                backups,
                lost.get());
    }

    /** Lost partitions this member was told of. */
    long lost() {
        return lost.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("stemcache.partitions.lost", this, PartitionLosses::lost)
                .tags("map", mapName, "cluster", hazelcast.getConfig().getClusterName(), "scope", "cluster")
                .description("Partitions of the map whose owner and every backup left at once (entries not yet in "
                        + "PostgreSQL were lost)")
                .register(registry);
    }

    /**
     * Fails when the member is in a NODE_AWARE or ZONE_AWARE partition group but does not know its node or
     * zone (the Kubernetes API did not answer, or the service account may not read pods or nodes): Hazelcast
     * would put every such member in one group, and a partition would have no backup at all.
     */
    static void checkPartitionGroup(HazelcastInstance hazelcast) {
        PartitionGroupConfig group = hazelcast.getConfig().getPartitionGroupConfig();
        if (!group.isEnabled()) {
            return;
        }
        String attribute = switch (group.getGroupType()) {
            case NODE_AWARE -> PartitionGroupMetaData.PARTITION_GROUP_NODE;
            case ZONE_AWARE -> PartitionGroupMetaData.PARTITION_GROUP_ZONE;
            default -> null;
        };
        if (attribute == null) {
            return;
        }
        String value = hazelcast.getCluster().getLocalMember().getAttribute(attribute);
        if (value == null || value.isBlank() || value.equals("unknown")) {
            throw new IllegalStateException("partition-group.group-type="
                    + group.getGroupType()
                    + " but this member does not know its "
                    + (attribute.equals(PartitionGroupMetaData.PARTITION_GROUP_NODE) ? "Kubernetes node" : "zone")
                    + " (member attribute " + attribute + " is " + (value == null ? "missing" : "'" + value + "'")
                    + "): the Kubernetes API did not tell it; the chart's discovery.mode=api Role must allow get on pods"
                    + " (node-aware) and discovery.api.nodeAccess=true on nodes (zone-aware)");
        }
    }

    @Override
    public void close() {
        if (hazelcast.getLifecycleService().isRunning()) {
            hazelcast.getMap(mapName).removePartitionLostListener(registration);
        }
    }
}
