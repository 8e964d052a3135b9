package io.stemcache.mapstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Checks at start-up that the members' role sees every row of the tables it uses. Row-level
 * security (the product's policy on audio_analysis_cache, Supabase's defaults) filters rows
 * silently: a member that saw only some rows would load misses and write over rows it cannot
 * see, so the check fails instead, naming the role, the table and the fix.
 */
final class RowSecurityCheck {

    // PostgreSQL's own rule: superusers and BYPASSRLS roles always see every row; a table's owner
    // (or a member inheriting its privileges) does unless the table forces row security on owners.
    private static final String ROW_SECURITY = """
            SELECT c.relrowsecurity AND NOT (r.rolsuper OR r.rolbypassrls
                    OR (NOT c.relforcerowsecurity AND pg_has_role(current_user, c.relowner, 'USAGE'))) AS filtered,
                c.relforcerowsecurity AS forced, current_user AS role
            FROM pg_class c, pg_roles r
            WHERE c.oid = to_regclass(?) AND r.rolname = current_user""";

    private RowSecurityCheck() {}

    /**
     * Throws IllegalStateException for the first of {@code tables} whose rows row-level security
     * would hide from the connection's role. Tables that do not exist are left to the schema check.
     */
    static void verify(Connection connection, List<String> tables) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ROW_SECURITY)) {
            for (String table : tables) {
                statement.setString(1, table);
                try (ResultSet result = statement.executeQuery()) {
                    if (result.next() && result.getBoolean("filtered")) {
                        throw refusal(result.getString("role"), table, result.getBoolean("forced"));
                    }
                }
            }
        }
    }

    private static IllegalStateException refusal(String name, String table, boolean forced) {
        // As it must be written in the ALTER ROLE the message suggests.
        String role = name.matches("[a-z_][a-z0-9_$]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
        String why = forced
                ? "row-level security is enabled and forced on it (FORCE ROW LEVEL SECURITY applies it to the owner too)"
                        + " and the role does not have BYPASSRLS"
                : "row-level security is enabled on it and the role neither owns it nor has BYPASSRLS";
        String fix = forced
                ? "ALTER ROLE " + role + " BYPASSRLS, or ALTER TABLE " + table + " NO FORCE ROW LEVEL SECURITY"
                        + " and run the members as the table's owner"
                : "ALTER ROLE " + role + " BYPASSRLS, or run the members as the table's owner";
        return new IllegalStateException("role " + role + " cannot see every row of table " + table + ": " + why
                + "; members must see every row: " + fix);
    }
}
