package io.stemcache.node.deletions;

import io.stemcache.mapstore.DeletionLog;
import java.sql.Connection;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the product's deletes are applied on this database: {@code auto} is on where {@code audio_analysis_cache}
 * is the product's table, which has foreign keys to {@code auth.users} and {@code file_metadata} (a standalone
 * install's loose table has none, and nothing but stemcache deletes its rows); never without the log's tables.
 */
final class ModeCheck {

    private static final Logger log = LoggerFactory.getLogger(ModeCheck.class);

    private ModeCheck() {}

    static boolean isOn(RowDeletionMode mode, Connection session) {
        if (mode == RowDeletionMode.OFF) {
            return false;
        }
        if (mode == RowDeletionMode.AUTO && !DeletionLog.isProductTable(session)) {
            log.info("Row deletions: off (stemcache.row-deletions.mode=auto and audio_analysis_cache has no foreign"
                    + " keys: a standalone install's table, not the product's)");
            return false;
        }
        if (!DeletionLog.exists(session)) {
            log.error(
                    "Row deletions: off, although stemcache.row-deletions.mode={}: tables {} and {} are missing;"
                            + " run the stemcache migrations",
                    mode.name().toLowerCase(Locale.ROOT),
                    DeletionLog.LOG_TABLE,
                    DeletionLog.CURSOR_TABLE);
            return false;
        }
        return true;
    }
}
