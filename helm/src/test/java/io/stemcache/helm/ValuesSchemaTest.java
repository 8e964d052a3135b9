package io.stemcache.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.mapstore.StoreSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's schema repeats a few of the node's bounds, so that {@code helm install} refuses a value before a pod
 * would fail to start on it; each repeated bound is the one its owner declares (a change there fails here).
 */
class ValuesSchemaTest {

    private static Map<String, Object> stemcache;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readSchema() throws IOException {
        try (Reader in = Files.newBufferedReader(Path.of("stemcache", "values.schema.json"))) {
            Map<String, Object> schema = new Yaml().load(in);
            Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
            stemcache = (Map<String, Object>) ((Map<String, Object>) properties.get("stemcache")).get("properties");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> property(String name) {
        return (Map<String, Object>) stemcache.get(name);
    }

    @Test
    void maxAnalysisMb_isBoundedAsTheCodecBoundsIt() {
        assertThat(property("maxAnalysisMb"))
                .containsEntry("minimum", 1)
                .containsEntry("maximum", AnalysisCodec.MAX_ANALYSIS_MB);
    }

    @Test
    void loadBatchSize_isBoundedAsTheStoreBoundsIt() {
        assertThat(property("loadBatchSize"))
                .containsEntry("minimum", 1)
                .containsEntry("maximum", StoreSettings.MAX_LOAD_BATCH_SIZE);
    }

    /** Regression: the schema let 0 through ({@code seconds}: 0 and up), and the node then refused to start on it. */
    @Test
    void initialLoadMaxMb_startsAtOneAsTheNodeRequires() {
        assertThat(property("initialLoadMaxMb")).containsEntry("minimum", 1);
    }
}
