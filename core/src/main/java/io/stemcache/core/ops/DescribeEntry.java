package io.stemcache.core.ops;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import java.util.Map;

/**
 * Answers what a key holds, without its payload: an {@link EntryDescription}, or null for a key holding nothing or
 * a deletion marker. A project page asks this for all its stems in one {@code executeOnKeys}, so a status costs a
 * few dozen bytes per stem instead of megabytes; the member loads a key memory lacks from PostgreSQL to answer.
 */
public final class DescribeEntry
        implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, EntryDescription>, ReadOnly {

    @Override
    public EntryDescription process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        CachedAudioAnalysis value = entry.getValue();
        return value == null || value.isDeletion() ? null : EntryDescription.of(value);
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, EntryDescription> getBackupProcessor() {
        return null;
    }
}
