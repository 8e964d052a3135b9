package io.stemcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import io.stemcache.client.StemcacheClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API node's files as the {@code http} command hands them over: the client YAML re-pointed, its application.yaml. */
class ApiNodeFilesTest {

    @Test
    void clientYaml_isTheShippedFilePointedAtThisRunsMembers_nearCacheKept() throws Exception {
        List<String> members = List.of("127.0.0.1:31001", "127.0.0.1:31002");
        String yaml = ApiNodeFiles.clientYaml("stemcache-bench-xyz", members);
        ClientConfig config =
                StemcacheClient.loadConfig(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(config.getClusterName()).isEqualTo("stemcache-bench-xyz");
        assertThat(config.getNetworkConfig().getAddresses()).isEqualTo(members);
        assertThat(config.getNearCacheConfig(BenchCluster.MAP)).isNotNull();
        assertThat(config.getProperty("hazelcast.client.invocation.timeout.seconds"))
                .isEqualTo("5");
    }

    @Test
    void clientYaml_withoutAMemberList_failsNamingTheFile() {
        String shipped =
                "hazelcast-client:\n  cluster-name: stemcache\n  network:\n    cluster-routing:\n      mode: ALL_MEMBERS\n";
        assertThatThrownBy(() -> ApiNodeFiles.clientYaml(shipped, "c", List.of("127.0.0.1:1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ApiNodeFiles.CLIENT_YAML + " has no network.cluster-members list");
    }

    @Test
    void clientYaml_whoseClusterNameIsNotAKey_failsSayingWhatItGot() {
        String shipped = "hazelcast-client:\n  network:\n    cluster-members:\n      - 127.0.0.1:5701\n";
        assertThatThrownBy(() -> ApiNodeFiles.clientYaml(shipped, "mine", List.of("127.0.0.1:1")))
                .hasMessageContaining("no longer has the shape the bench rewrites")
                .hasMessageContaining("got cluster dev");
    }

    @Test
    void applicationYaml_isTheApiJarsOwn_notTheNodes() throws Exception {
        String yaml = ApiNodeFiles.applicationYaml();
        assertThat(yaml)
                .contains("name: stemcache-api")
                .contains("STEMCACHE_API_JWT_SECRET")
                .doesNotContain("stemcache-node");
    }
}
