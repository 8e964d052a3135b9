package io.stemcache.core.ops;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.spi.exception.SilentException;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts some feature series out of an entry on the member that owns it, so only their bytes cross the network:
 * answers a {@link ProjectedAnalysis} ({@link AnalysisCodec#project}), or null for a key holding nothing or a
 * deletion marker. The member loads a key memory lacks from PostgreSQL to answer.
 *
 * <p>Names the entry lacks fail the call with an {@link UnknownFeaturesException} (an IllegalArgumentException; an
 * API node's 400) naming them and the entry's series; a damaged payload fails it with the codec's
 * {@link CorruptPayloadException}, which the member logs. The member projects with
 * {@link AnalysisCodec#standard()}, as {@link CachedAudioAnalysis#analysis()} decodes: a projection is never
 * longer than the payload the member already holds.
 */
public final class ProjectFeatures
        implements EntryProcessor<AnalysisKey, CachedAudioAnalysis, ProjectedAnalysis>, ReadOnly {

    private final List<String> features;

    /** Projects onto {@code features}: at least one name, none null; their order and repeats do not matter. */
    public ProjectFeatures(Collection<String> features) {
        if (features == null || features.isEmpty() || features.stream().anyMatch(Objects::isNull)) {
            // contains(null) throws on immutable collections
            throw new IllegalArgumentException(
                    "name at least one feature to project, and no null one; got " + features);
        }
        this.features = List.copyOf(features);
    }

    /** The names asked for, as given. */
    public List<String> features() {
        return features;
    }

    @Override
    public ProjectedAnalysis process(Map.Entry<AnalysisKey, CachedAudioAnalysis> entry) {
        CachedAudioAnalysis value = entry.getValue();
        if (value == null || value.isDeletion()) {
            return null;
        }
        byte[] projection;
        try {
            projection = AnalysisCodec.standard().project(value.payload(), features);
        } catch (IllegalArgumentException unknownNames) {
            // The names were checked when this processor was made, so only unknown ones are left: the caller's
            // mistake, which the member must not log as its own error (Hazelcast logs operation failures unless
            // they are SilentExceptions).
            throw new UnknownFeaturesException(unknownNames.getMessage());
        }
        return ProjectedAnalysis.of(value, projection);
    }

    @Override
    public EntryProcessor<AnalysisKey, CachedAudioAnalysis, ProjectedAnalysis> getBackupProcessor() {
        return null;
    }

    /**
     * The entry holds no series of some of the names asked for; the message names each of them and every series
     * the entry holds. A caller's error: the member does not log it.
     */
    public static final class UnknownFeaturesException extends IllegalArgumentException implements SilentException {

        private static final long serialVersionUID = 1L;

        public UnknownFeaturesException(String message) {
            super(message);
        }

        /** The form a Hazelcast client rebuilds a member's exception with. */
        public UnknownFeaturesException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
