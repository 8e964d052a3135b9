package io.stemcache.node.maintenance;

import io.stemcache.core.AnalysisKey;
import io.stemcache.core.Owner;
import io.stemcache.core.StemType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lists the keys of an owner's rows: a guest's in the guest table, a user's in the main one. */
final class OwnerRows {

    private static final Logger log = LoggerFactory.getLogger(OwnerRows.class);

    private final DataSource dataSource;

    OwnerRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** At most {@code limit} keys, in file and stem order. */
    List<AnalysisKey> keys(Owner owner, int limit) throws SQLException {
        List<AnalysisKey> keys = new ArrayList<>();
        String sql = CacheTable.of(owner).sql(CacheTableSql.OWNER_KEYS);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, owner.kind().code());
            select.setString(2, owner.id());
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String stem = rows.getString(2);
                    try {
                        keys.add(new AnalysisKey(owner, rows.getObject(1, UUID.class), StemType.fromCode(stem)));
                    } catch (IllegalArgumentException e) {
                        // A row the product wrote for a stem stemcache does not know: no key can reach it.
                        log.debug("Skipping a row of {} with stem type '{}': {}", owner, stem, e.getMessage());
                    }
                }
            }
        }
        return keys;
    }
}
