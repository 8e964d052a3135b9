package io.stemcache.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The HTTP API node: callers' analyses over the cluster, through the client module's {@code AudioCacheService}. */
@SpringBootApplication
@EnableConfigurationProperties(ApiProperties.class)
public class ApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }
}
