package io.stemcache.core.ops;

import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.codec.PayloadSummary;
import java.time.Duration;
import java.time.Instant;

/**
 * Refuses, on the member, a write of the analysis map whose entry does not hold together: a value that is not an
 * entry, a payload that does not {@link AnalysisCodec#verify verify} (header, checksum, envelope) or is over the
 * member's limit ({@code stemcache.max-analysis-mb}), or one whose payload is of another file, stem or precision than
 * the entry says. An admitted client is not trusted to send what the API nodes will decode. The caller gets the
 * codec's {@link CorruptPayloadException} (or an IllegalArgumentException) naming the problem, and the key keeps
 * what it held. Deletion markers pass. The entry's {@code size} field is checked when it is read
 * ({@code stemcache.CachedAudioAnalysis}'s serializer).
 *
 * A version further ahead of the member's clock than {@link #MAX_VERSION_AHEAD} is refused too.
 *
 * <p>Hazelcast gives an interceptor the values, not the key: that the entry's id, file and stem are those of the key
 * it is written under is checked where the key is known ({@link WriteExactly}, {@link #matchesKey}). Loads from
 * PostgreSQL pass through here too; the store verified them with the same codec.
 *
 * <p>Entry processors' writes are intercepted too (Hazelcast 5.7 sets their values through the same path).
 * {@link #installOn} registers the interceptor on each member only, with that member's limit.
 * Copies travel to members that join with Java serialization (so it keeps the limit in a field); each member's own
 * registration replaces the copy.
 */
public final class EntryChecks extends PutInterceptor {

    /**
     * How far ahead of this member's clock an entry's version may be. Versions are a member's clock in microseconds
     * (or one above the key's last), so only a clock that far ahead could have given one; a writer's version stands
     * where memory lacks the key (Hazelcast's loads look like such writes), and one near the top of the range would
     * make every later write of the key overflow.
     */
    public static final Duration MAX_VERSION_AHEAD = Duration.ofDays(1);

    private static final long serialVersionUID = 1L;
    private static final String ID = "stemcache-entry-checks";

    private final long maxDecodedBytes;
    private transient volatile AnalysisCodec codec;

    /** Checks entries with {@code codec}'s limit. */
    public EntryChecks(AnalysisCodec codec) {
        this.maxDecodedBytes = codec.limit();
        this.codec = codec;
    }

    /** Makes the member check the writes of {@code mapName} with {@code codec}'s limit, once it has started. */
    public static Config installOn(Config config, String mapName, AnalysisCodec codec) {
        config.addListenerConfig(
                new ListenerConfig(new OnMemberStart(member -> installLocally(member, mapName, codec))));
        return config;
    }

    /** Throws IllegalArgumentException unless {@code entry}'s id, file and stem are those of {@code key}. */
    public static void matchesKey(AnalysisKey key, CachedAudioAnalysis entry) {
        if (!entry.fileMetadataId().equals(key.fileMetadataId()) || entry.stemType() != key.stemType()) {
            throw new IllegalArgumentException("entry of " + entry.fileMetadataId() + "/"
                    + entry.stemType().code() + " written under the key of " + key.fileMetadataId() + "/"
                    + key.stemType().code());
        }
        if (!entry.id().equals(key.entryId())) {
            throw new IllegalArgumentException("entry id " + entry.id() + " is not its key's (" + key.entryId()
                    + ") for " + key.fileMetadataId() + "/" + key.stemType().code());
        }
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
        if (!(newValue instanceof CachedAudioAnalysis entry)) {
            throw new IllegalArgumentException("the analysis map holds stemcache.CachedAudioAnalysis entries, not "
                    + (newValue == null ? "null" : newValue.getClass().getName()));
        }
        long latest = EntryVersions.next(null, Instant.now().plus(MAX_VERSION_AHEAD));
        if (entry.version() > latest) {
            throw new IllegalArgumentException("entry version " + entry.version() + " is more than "
                    + MAX_VERSION_AHEAD.toHours() + " hours ahead of this member's clock (at most " + latest
                    + "): no member gave it");
        }
        if (entry.isDeletion()) {
            return null;
        }
        check(entry, codec().verify(entry.payload()));
        return null;
    }

    /**
     * Throws unless {@code entry} (not a deletion marker) holds together with {@code summary}, what its payload
     * {@link AnalysisCodec#verify verified} to: the payload's file, stem and precision are the entry's.
     */
    static void check(CachedAudioAnalysis entry, PayloadSummary summary) {
        String entryIs = entry.fileMetadataId() + "/" + entry.stemType().code();
        if (!summary.fileMetadataId().equals(entry.fileMetadataId()) || summary.stemType() != entry.stemType()) {
            throw new CorruptPayloadException("entry of " + entryIs + " holds the payload of "
                    + summary.fileMetadataId() + "/" + summary.stemType().code());
        }
        if (summary.header().precision() != entry.precision()) {
            throw new CorruptPayloadException("entry of " + entryIs + " says " + entry.precision()
                    + " but its payload is " + summary.header().precision());
        }
    }

    private AnalysisCodec codec() {
        AnalysisCodec current = codec;
        if (current == null) { // a copy another member sent
            current = AnalysisCodec.withMaxDecodedBytes(maxDecodedBytes);
            codec = current;
        }
        return current;
    }

    /**
     * Installs the checks on {@code member} alone (IMap.addInterceptor would give every member this member's limit);
     * Hazelcast keeps the first registration of an id, so a copy sent at the join is removed first.
     */
    private static void installLocally(HazelcastInstance member, String mapName, AnalysisCodec codec) {
        MapServiceContext context = ((MapService) ((AbstractDistributedObject<?>) member.getMap(mapName)).getService())
                .getMapServiceContext();
        context.removeInterceptor(mapName, ID);
        context.addInterceptor(ID, mapName, new EntryChecks(codec));
    }

    // One registration per map and member, whatever the limit: a member's own replaces a copy sent at its join.
    @Override
    public boolean equals(Object other) {
        return other instanceof EntryChecks;
    }

    @Override
    public int hashCode() {
        return EntryChecks.class.hashCode();
    }
}
