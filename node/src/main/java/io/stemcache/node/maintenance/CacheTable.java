package io.stemcache.node.maintenance;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;

/**
 * The two tables that hold stemcache's rows, with the same columns: users' rows beside the product's
 * own in {@code audio_analysis_cache}, guests' rows in {@code audio_analysis_guest_cache} (the product's
 * table has foreign keys to users and files that a guest's row cannot satisfy). A statement is written
 * once, as a template, and formatted for each table by {@link #sql}.
 */
enum CacheTable {

    /** Users' rows; its {@code legacy} rows are the product's, and no statement selects them. */
    USERS("audio_analysis_cache", Owner.Kind.USER),
    /** Guests' rows; {@code owner_kind} is always {@code 'guest'} and {@code user_id} null. */
    GUESTS("audio_analysis_guest_cache", Owner.Kind.GUEST);

    private final String tableName;
    private final Owner.Kind ownerKind;

    CacheTable(String tableName, Owner.Kind ownerKind) {
        this.tableName = tableName;
        this.ownerKind = ownerKind;
    }

    static CacheTable of(Owner owner) {
        return owner.isGuest() ? GUESTS : USERS;
    }

    static CacheTable of(AnalysisKey key) {
        return of(key.owner());
    }

    String tableName() {
        return tableName;
    }

    /**
     * {@code template} with {@code %1$s} replaced by the table's name and {@code %2$s} by the one owner
     * kind stemcache manages in it, so that {@code owner_kind = '%2$s'} leaves the product's rows alone.
     */
    String sql(String template) {
        return template.formatted(tableName, ownerKind.code());
    }
}
