package io.stemcache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.json.AnalysisJson;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the {@code http} command refuses: an answer of another status, a product row that is not the stem's. */
class HttpPathsTest {

    private static AudioAnalysis stem;

    @BeforeAll
    static void loadAStem() {
        Path corpus = Path.of(System.getProperty(CorpusFiles.PROPERTY));
        stem = AnalysisSlices.distinct(
                List.of(CorpusFiles.analysis(CorpusFiles.first(corpus, 1).get(0))), 0, 50, new Random(3));
    }

    @Test
    void send_anotherStatus_failsNamingTheRequestTheStatusAndTheBodysStart() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] problem = "{\"title\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            HttpPaths paths = new HttpPaths(base, "t", List.of(stem), List.of(), List.of("rms"), null, null);
            assertThatThrownBy(() -> paths.send(
                            HttpRequest.newBuilder(base.resolve("/x")).GET(), 200))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("GET " + base + "/x answered 503: {\"title\":\"Service Unavailable\"}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void revalidate_beforeVerify_failsSayingSo() {
        HttpPaths paths = new HttpPaths(
                URI.create("http://127.0.0.1:1"), "t", List.of(stem), List.of(), List.of("rms"), null, null);
        assertThatThrownBy(() -> paths.revalidate(0)).hasMessageContaining("no ETag of analysis 0 yet: verify first");
    }

    @Test
    void checkProduct_theStemsRow_passes_aChangedValue_fails() {
        String data = AnalysisJson.analysisDataJson(stem);
        String row = "{\"result\":{\"data\":{\"fileMetadataId\":\"" + stem.fileMetadataId() + "\",\"stemType\":\""
                + stem.stemType().code() + "\",\"analysisData\":%s,\"waveformData\":" + AnalysisJson.waveformJson(stem)
                + "}}}";
        HttpPaths.checkProduct("it", stem, row.replace("%s", data).getBytes(StandardCharsets.UTF_8));

        double first = stem.analysisData().get("rms")[0];
        String changed = data.replaceFirst("\"rms\":\\[[^,\\]]+", "\"rms\":[" + (first + 1));
        assertThat(changed).isNotEqualTo(data);
        assertThatThrownBy(() -> HttpPaths.checkProduct(
                        "it", stem, row.replace("%s", changed).getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the http path returned another analysis than was stored: it as the product's row");
    }

    @Test
    void features_blank_isAUsageError() {
        assertThatThrownBy(() -> HttpCommand.features(" , "))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--features must name at least one series");
        assertThat(HttpCommand.features("rms, zcr,rms")).containsExactly("rms", "zcr");
    }
}
