package io.stemcache.mapstore;

import io.stemcache.core.AnalysisKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/**
 * How a key names its row: {@code owner_kind, owner_id, file_metadata_id, stem_type}, in that order (the unique
 * key's columns), optionally with {@code user_id} after the owner. Every statement on stemcache's tables binds its
 * key here, so no two of them can name a row differently.
 */
final class KeyColumns {

    private KeyColumns() {}

    /** Binds the four key columns from parameter {@code first}; returns the next parameter's index. */
    static int bind(PreparedStatement statement, int first, AnalysisKey key) throws SQLException {
        statement.setString(first, key.owner().kind().code());
        statement.setString(first + 1, key.owner().id());
        statement.setObject(first + 2, key.fileMetadataId());
        statement.setString(first + 3, key.stemType().code());
        return first + 4;
    }

    /**
     * Binds {@code owner_kind, owner_id, user_id, file_metadata_id, stem_type} from parameter {@code first}:
     * {@code user_id} is the user's id, null for a guest. Returns the next parameter's index.
     */
    static int bindWithUser(PreparedStatement statement, int first, AnalysisKey key) throws SQLException {
        statement.setString(first, key.owner().kind().code());
        statement.setString(first + 1, key.owner().id());
        statement.setObject(
                first + 2,
                key.owner().isGuest() ? null : UUID.fromString(key.owner().id()),
                Types.OTHER);
        statement.setObject(first + 3, key.fileMetadataId());
        statement.setString(first + 4, key.stemType().code());
        return first + 5;
    }

    /**
     * Binds the four key columns of a batch of keys as four arrays from parameter {@code first}, for
     * {@link #UNNEST}; returns the next parameter's index.
     */
    static int bindArrays(PreparedStatement statement, int first, List<AnalysisKey> keys) throws SQLException {
        Connection connection = statement.getConnection();
        String[] kinds = new String[keys.size()];
        String[] owners = new String[keys.size()];
        UUID[] files = new UUID[keys.size()];
        String[] stems = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            AnalysisKey key = keys.get(i);
            kinds[i] = key.owner().kind().code();
            owners[i] = key.owner().id();
            files[i] = key.fileMetadataId();
            stems[i] = key.stemType().code();
        }
        statement.setArray(first, connection.createArrayOf("varchar", kinds));
        statement.setArray(first + 1, connection.createArrayOf("varchar", owners));
        statement.setArray(first + 2, connection.createArrayOf("uuid", files));
        statement.setArray(first + 3, connection.createArrayOf("varchar", stems));
        return first + 4;
    }

    /** The parameters {@link #bindArrays} binds, as the first four arrays of an {@code unnest}. */
    static final String UNNEST = "?::varchar[], ?::varchar[], ?::uuid[], ?::varchar[]";

    /** The key columns of {@link #UNNEST}'s rows. */
    static final String UNNEST_COLUMNS = "owner_kind, owner_id, file_metadata_id, stem_type";

    /** A condition that two aliases (formatted in as {@code %1$s} and {@code %2$s}) name the same row. */
    static final String SAME_KEY = "%1$s.owner_kind = %2$s.owner_kind AND %1$s.owner_id = %2$s.owner_id"
            + " AND %1$s.file_metadata_id = %2$s.file_metadata_id AND %1$s.stem_type = %2$s.stem_type";
}
