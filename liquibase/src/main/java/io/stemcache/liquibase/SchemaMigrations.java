package io.stemcache.liquibase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Applies (or rolls back) the stemcache changelog {@value #MASTER_CHANGELOG} to a PostgreSQL
 * database without Spring; Spring Boot applications get the same changelog applied by Boot. The
 * command that migrates a database and exits is the node's {@code migrate} (the chart's Job runs it).
 */
public final class SchemaMigrations {

    /** The master changelog's classpath location, where Spring Boot looks for it by default. */
    public static final String MASTER_CHANGELOG = "db/changelog/db.changelog-master.yaml";

    private SchemaMigrations() {}

    /**
     * Applies every changeset not yet applied, taking Liquibase's lock so that nodes starting
     * together migrate once.
     *
     * @return the changesets this call applied or adopted, in order, for the log; empty when the
     *     schema was already up to date
     * @throws IllegalStateException naming the changeset when a migration fails
     */
    public static List<String> update(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return update(connection, MASTER_CHANGELOG, ownClasspath());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database to migrate: " + e.getMessage(), e);
        }
    }

    /**
     * Rolls back the {@code count} most recently applied changesets, newest first (all of them
     * when {@code count} exceeds their number). Meant for tests and for operators undoing a
     * release; each changeset's rollback is in the changelog.
     *
     * @throws IllegalStateException naming the changeset when a rollback fails
     */
    public static void rollbackCount(DataSource dataSource, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        try (Connection connection = dataSource.getConnection()) {
            run(
                    connection,
                    ownClasspath(),
                    database -> new CommandScope(RollbackCountCommandStep.COMMAND_NAME)
                            .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                            .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, MASTER_CHANGELOG)
                            .addArgumentValue(RollbackCountCommandStep.COUNT_ARG, count)
                            .execute());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database to roll back: " + e.getMessage(), e);
        }
    }

    /** Applies {@code changelog}, found through {@code resources}, over an open connection. */
    static List<String> update(Connection connection, String changelog, ResourceAccessor resources) {
        AppliedChangeSets applied = new AppliedChangeSets();
        run(
                connection,
                resources,
                database -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                        .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                        .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                        .addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, applied)
                        .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                        .execute());
        return applied.list();
    }

    static ResourceAccessor ownClasspath() {
        return new ClassLoaderResourceAccessor(SchemaMigrations.class.getClassLoader());
    }

    private static void run(Connection connection, ResourceAccessor resources, LiquibaseCommand command) {
        // Library use: send Liquibase's console messages to its log instead of System.out, and
        // switch off its usage analytics (since 4.30 each command fetches config.liquibase.com
        // first, which costs seconds where the network is closed).
        Map<String, Object> scope = Map.of(
                Scope.Attr.resourceAccessor.name(),
                resources,
                Scope.Attr.ui.name(),
                new LoggerUIService(),
                "liquibase.analytics.enabled",
                Boolean.FALSE);
        try {
            // Not closed: closing a Liquibase database closes the caller's connection.
            Database database =
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(scope, () -> command.execute(database));
        } catch (Exception e) {
            throw new IllegalStateException(describe(e), e);
        }
    }

    /** Liquibase's message without the exception class names it prefixes at every layer. */
    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replaceAll("(liquibase\\.exception\\.\\w+: )+", "");
    }

    @FunctionalInterface
    private interface LiquibaseCommand {
        void execute(Database database) throws Exception;
    }
}
