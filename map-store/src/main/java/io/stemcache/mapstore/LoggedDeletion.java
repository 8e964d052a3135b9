package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code audio_analysis_deleted_row}: a cache row the product deleted.
 *
 * @param seq the row's place in the log
 * @param key the entry's key, or null when the row named no key stemcache can hold (an unknown stem type)
 * @param fileMetadataId the deleted row's file
 * @param entryVersion the deleted row's version
 * @param cascade true when a file or user was deleted (a foreign-key cascade), false for a direct delete
 */
public record LoggedDeletion(long seq, AnalysisKey key, UUID fileMetadataId, long entryVersion, boolean cascade) {

    /** A logged row as read; a key that cannot be rebuilt becomes null (nothing in memory can have it). */
    static LoggedDeletion of(
            long seq,
            String ownerKind,
            String ownerId,
            UUID fileMetadataId,
            String stemType,
            long entryVersion,
            boolean cascade) {
        AnalysisKey key;
        try {
            key = new AnalysisKey(
                    Owner.of(Owner.Kind.fromCode(ownerKind), ownerId), fileMetadataId, StemType.fromCode(stemType));
        } catch (IllegalArgumentException e) {
            key = null;
        }
        return new LoggedDeletion(seq, key, fileMetadataId, entryVersion, cascade);
    }

    /** The batch's files for a log line (three, then how many more); never owners: a guest's id is its token. */
    public static String filesOf(List<LoggedDeletion> batch) {
        List<String> files = batch.stream()
                .map(row -> row.fileMetadataId().toString())
                .distinct()
                .toList();
        int shown = Math.min(files.size(), 3);
        return String.join(", ", files.subList(0, shown))
                + (files.size() > shown ? " and " + (files.size() - shown) + " more" : "");
    }
}
