package io.stemcache.bench;

import io.stemcache.api.ApiApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The API node in a JVM of its own ({@link ChildJvm}): {@link ApiApplication} as shipped, with its own
 * {@code application.yaml}, plus the emulated {@link ProductRoute}, the {@link NoContentRoute} floor and the
 * {@code pageload} command's pages ({@link BenchPages}). Arguments are Spring Boot's
 * ({@code --name=value}); the ready line carries the HTTP port.
 */
final class BenchApiNode {

    private BenchApiNode() {}

    public static void main(String[] args) {
        try {
            ConfigurableApplicationContext api = new SpringApplicationBuilder(
                            ApiApplication.class, ProductRoute.class, NoContentRoute.class, BenchPages.class)
                    .run(args);
            ChildJvm.ready(
                    "port=" + ((WebServerApplicationContext) api).getWebServer().getPort());
            ChildJvm.awaitEndOfInput();
            api.close();
        } catch (Throwable e) {
            // The driver shows the end of this JVM's output; the client's threads must not keep it alive.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
