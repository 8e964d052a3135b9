package io.stemcache.core.ops;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.List;
import java.util.Map;

/**
 * Tells the member that owns an entry that it was read: that resets the entry's max-idle clock and LRU
 * position on the member (reads served by a near cache never reach it) and queues a
 * {@code last_accessed} update for PostgreSQL. It never writes the entry, so nothing is stored.
 */
public final class TouchEntry
        implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean>, HazelcastInstanceAware {

    private transient HazelcastInstance member;

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    @Override
    public Boolean process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        boolean present = entry.getValue() != null;
        // Reading the value already counted as an access on this member; the services (absent on a bare
        // Hazelcast member) carry it on to PostgreSQL.
        if (present
                && member != null
                && member.getUserContext().get(MemberServices.USER_CONTEXT_KEY) instanceof MemberServices services) {
            services.touched(List.of(entry.getKey()));
        }
        return present;
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, Boolean> getBackupProcessor() {
        // Nothing changes on the primary, so backups have nothing to apply.
        return null;
    }
}
