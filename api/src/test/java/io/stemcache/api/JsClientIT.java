package io.stemcache.api;

import io.stemcache.api.js.NodeTests;
import io.stemcache.core.testing.Corpus;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JS client and its React hook against a live API node: real members with the PostgreSQL store, the API node on
 * a real socket, and Node's test runner running {@code js/test/client.live.test.mjs} and {@code react.test.mjs} with
 * the node's URL, two users' tokens and a corpus file in its environment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsClientIT {

    private ApiCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = ApiCluster.start("jsclient", Map.of("stemcache.client.lease-ttl", "5s"));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jsClientAndHook_againstALiveApiNode() throws Exception {
        NodeTests.run(
                Map.of(
                        "STEMCACHE_BASE_URL", cluster.base(),
                        "STEMCACHE_USER_TOKEN_A", cluster.userToken(UUID.randomUUID()),
                        "STEMCACHE_USER_TOKEN_B", cluster.userToken(UUID.randomUUID()),
                        "STEMCACHE_CORPUS_FILE", Corpus.files().get(0).toString()),
                "test/client.live.test.mjs",
                "test/react.test.mjs");
    }
}
