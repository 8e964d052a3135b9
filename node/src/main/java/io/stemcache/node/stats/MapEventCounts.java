package io.stemcache.node.stats;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the analysis map's events for the entries this member owns (a local listener: each event is
 * seen by one member, so members' counts add up without double counting). It implements the loaded and
 * expired listeners on purpose: without them Hazelcast reports loads as adds and expirations as evictions.
 * It never reads an event's value, so multi-MB values are not deserialized.
 */
final class MapEventCounts
        implements EntryAddedListener<Object, Object>,
                EntryUpdatedListener<Object, Object>,
                EntryRemovedListener<Object, Object>,
                EntryEvictedListener<Object, Object>,
                EntryExpiredListener<Object, Object>,
                EntryLoadedListener<Object, Object>,
                MapClearedListener,
                MapEvictedListener {

    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder expirations = new LongAdder();
    private final LongAdder loads = new LongAdder();

    @Override
    public void entryAdded(EntryEvent<Object, Object> event) {
        puts.increment();
    }

    @Override
    public void entryUpdated(EntryEvent<Object, Object> event) {
        puts.increment();
    }

    @Override
    public void entryRemoved(EntryEvent<Object, Object> event) {
        removals.increment();
    }

    @Override
    public void entryEvicted(EntryEvent<Object, Object> event) {
        evictions.increment();
    }

    @Override
    public void entryExpired(EntryEvent<Object, Object> event) {
        expirations.increment();
    }

    @Override
    public void entryLoaded(EntryEvent<Object, Object> event) {
        loads.increment();
    }

    /** {@code clear()} sends one event, with the cluster-wide count, to the member that ran it. */
    @Override
    public void mapCleared(MapEvent event) {
        removals.add(event.getNumberOfEntriesAffected());
    }

    /** {@code evictAll()} sends one event, with the cluster-wide count, to the member that ran it. */
    @Override
    public void mapEvicted(MapEvent event) {
        evictions.add(event.getNumberOfEntriesAffected());
    }

    long puts() {
        return puts.sum();
    }

    long removals() {
        return removals.sum();
    }

    long evictions() {
        return evictions.sum();
    }

    long expirations() {
        return expirations.sum();
    }

    long loads() {
        return loads.sum();
    }
}
