package io.stemcache.node.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.node.CapturedLogs;
import io.stemcache.node.NodeUnderTest;
import io.stemcache.node.StemcacheProperties;
import io.stemcache.node.TableRows;
import io.stemcache.node.TestAnalyses;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Issue 13: a guest's token is the only credential to its entries, and pgjdbc puts a failed row's values (the
 * owner id among them) into its error messages: the server's "Failing row contains (...)" detail and a batch's
 * "Batch entry 0 INSERT ... VALUES (...)". Those went into the store's warnings and Hazelcast's retry logs. The
 * node's pool sets {@code logServerErrorDetail=false}; this runs the node as configured (application.yaml) and
 * makes PostgreSQL refuse a guest's rows, for good and for a while, with everything logged captured.
 *
 * <p>How it showed: both cases failed before the fix, the token in the store's "storeAll ... was refused", "set
 * aside" and "failed, none of it was written" lines and in the dead-letter reason. Fixed in e368671: every pool and
 * connection the project makes sets {@code logServerErrorDetail=false} (the node's Hikari pool, which the
 * row-deletions listener's sessions copy, {@code DatabaseBootstrap}'s admin connection, the bench's pools); the
 * message and SQLState stay.
 */
@NodeUnderTest(database = "guest_tokens_in_logs", port = 16781, writeDelaySeconds = 1)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "stemcache.client.enabled=false")
class GuestTokensInLogsIT {

    @Autowired
    FreshDatabase database;

    @Autowired
    HazelcastInstance hazelcast;

    @Autowired
    PostgresAnalysisStore store;

    private static String randomToken() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private IMap<AnalysisKey, CachedAudioAnalysis> map() {
        return hazelcast.getMap(StemcacheProperties.MAP_NAME);
    }

    private static CachedAudioAnalysis entry(AnalysisKey key, AudioAnalysis analysis) {
        return CachedAudioAnalysis.of(
                key, analysis, null, 1, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now());
    }

    private static List<String> linesHolding(List<String> lines, String token) {
        return lines.stream().filter(line -> line.contains(token)).toList();
    }

    @Test
    void aGuestRowPostgresRefusesForGood_isDeadLettered_withTheTokenInNoLogLineNorReason() {
        String token = randomToken();
        List<AudioAnalysis> analyses = TestAnalyses.distinctSmall(2, 100);
        AnalysisKey refused = TestAnalyses.keyOf(Owner.guest(token), analyses.get(0));
        AnalysisKey accepted = TestAnalyses.keyOf(Owner.guest(token), analyses.get(1));
        TableRows.execute(
                database.dataSource(),
                "ALTER TABLE audio_analysis_guest_cache ADD CONSTRAINT it_refuses_one_file"
                        + " CHECK (file_metadata_id <> '" + refused.fileMetadataId() + "')");

        try (CapturedLogs logs = new CapturedLogs(Logger.ROOT_LOGGER_NAME)) {
            map().set(refused, entry(refused, analyses.get(0)));
            map().set(accepted, entry(accepted, analyses.get(1)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.metrics().deadLettered() == 1
                            && TableRows.query(
                                            database.dataSource(),
                                            "SELECT count(*) FROM audio_analysis_guest_cache"
                                                    + " WHERE file_metadata_id = '" + accepted.fileMetadataId() + "'")
                                    == 1);

            assertThat(logs.lines()).as("the refusal is logged").anyMatch(line -> line.contains("it_refuses_one_file"));
            assertThat(linesHolding(logs.lines(), token))
                    .as("log lines holding the guest's token")
                    .isEmpty();
        }
        assertThat(TableRows.query(
                        database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_dead_letter"
                                + " WHERE reason LIKE '%it_refuses_one_file%' AND position('" + token
                                + "' IN reason) = 0"))
                .isEqualTo(1);
    }

    @Test
    void aGuestRowPostgresRefusesForAWhile_isRetriedByHazelcast_withTheTokenInNoLogLine() {
        String token = randomToken();
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 100).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.guest(token), analysis);
        // SQLState 40001 (serialization failure) is worth retrying: the store throws and Hazelcast retries the batch.
        // The server's detail names the row's owner, as a constraint's "Failing row contains (...)" does.
        TableRows.execute(
                database.dataSource(),
                "CREATE FUNCTION it_refuse_for_now() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'refused for now by the test' USING ERRCODE = '40001',"
                        + " DETAIL = 'owner ' || NEW.owner_id; END $$");
        TableRows.execute(
                database.dataSource(),
                "CREATE TRIGGER it_refuse_for_now BEFORE INSERT ON audio_analysis_guest_cache"
                        + " FOR EACH ROW WHEN (NEW.file_metadata_id = '" + key.fileMetadataId() + "')"
                        + " EXECUTE FUNCTION it_refuse_for_now()");
        long failuresBefore = store.metrics().storeFailures();

        try (CapturedLogs logs = new CapturedLogs(Logger.ROOT_LOGGER_NAME)) {
            map().set(key, entry(key, analysis));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.metrics().storeFailures() >= failuresBefore + 2
                            && logs.lines().stream()
                                    .anyMatch(line -> line.contains("com.hazelcast")
                                            || line.contains("refused for now by the test")));
            TableRows.execute(database.dataSource(), "DROP TRIGGER it_refuse_for_now ON audio_analysis_guest_cache");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TableRows.query(
                                    database.dataSource(),
                                    "SELECT count(*) FROM audio_analysis_guest_cache WHERE file_metadata_id = '"
                                            + key.fileMetadataId() + "'")
                            == 1);

            assertThat(logs.lines())
                    .as("the failure is logged")
                    .anyMatch(line -> line.contains("refused for now by the test"));
            assertThat(linesHolding(logs.lines(), token))
                    .as("log lines holding the guest's token")
                    .isEmpty();
        }
    }
}
