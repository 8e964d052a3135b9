package io.stemcache.node.deletions;

/** Whether members apply the product's deletes of cache rows to memory ({@code stemcache.row-deletions.mode}). */
public enum RowDeletionMode {
    /** On when {@code audio_analysis_cache} has foreign keys (the product's table), off on a standalone install's. */
    AUTO,
    /** Always on. */
    ON,
    /** Never: rows the product deletes stay in memory until they expire. */
    OFF
}
