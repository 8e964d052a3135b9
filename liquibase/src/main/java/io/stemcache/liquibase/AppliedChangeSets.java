package io.stemcache.liquibase;

import java.util.ArrayList;
import java.util.List;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records and logs each changeset an update applies, telling applied ones from adopted ones. */
final class AppliedChangeSets extends AbstractChangeExecListener {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private final List<String> applied = new ArrayList<>();

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, ChangeSet.ExecType execType) {
        // MARK_RAN means a precondition found the change already there (the product's own table
        // or its 018 columns): adopted, not executed.
        String outcome = execType == ChangeSet.ExecType.MARK_RAN ? "adopted (already present)" : "applied";
        String line = changeSet.getId() + " " + outcome;
        applied.add(line);
        LOG.info("Schema changeset {} from {}: {}", changeSet.getId(), changeSet.getFilePath(), outcome);
    }

    List<String> list() {
        return List.copyOf(applied);
    }
}
