package io.stemcache.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The HTTP API node: callers' analyses over the cluster, through the client module's {@code AudioCacheService}. */
@SpringBootApplication
@EnableConfigurationProperties(ApiProperties.class)
public class ApiApplication {

    /**
     * Binds (and so validates) {@code stemcache.api.*} before the Hazelcast client starts: a missing JWT secret
     * fails the start at once, naming the property, instead of after the client has found the cluster.
     */
    @Bean
    static BeanFactoryPostProcessor apiSettingsBeforeClusterClient() {
        return factory -> {
            if (!factory.containsBeanDefinition("stemcacheHazelcastClient")) {
                return;
            }
            BeanDefinition client = factory.getBeanDefinition("stemcacheHazelcastClient");
            List<String> dependsOn =
                    new ArrayList<>(client.getDependsOn() == null ? List.of() : Arrays.asList(client.getDependsOn()));
            dependsOn.addAll(Arrays.asList(factory.getBeanNamesForType(ApiProperties.class, false, false)));
            client.setDependsOn(dependsOn.toArray(String[]::new));
        };
    }

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }
}
