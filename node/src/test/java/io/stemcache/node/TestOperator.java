package io.stemcache.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Calls a node's management port (actuator) as the operator a test configures, {@link #PASSWORD} set as
 * {@code stemcache.management.password}, or anonymously.
 */
public final class TestOperator {

    /** The operator's password the tests that need write operations set ({@code stemcache.management.password}). */
    public static final String PASSWORD = "operator-password-for-tests";

    /** The property that sets it, for {@code @SpringBootTest(properties = ...)}. */
    public static final String PASSWORD_PROPERTY = "stemcache.management.password=" + PASSWORD;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestOperator() {}

    /** The Basic credentials of user {@code operator} with {@code password}. */
    public static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code method path} to the management port, with {@code authorization} unless it is null. */
    public static HttpResponse<String> send(int managementPort, String method, String path, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As {@link #send}, as the operator with {@link #PASSWORD}. */
    public static HttpResponse<String> asOperator(int managementPort, String method, String path) throws Exception {
        return send(managementPort, method, path, basic(PASSWORD));
    }
}
