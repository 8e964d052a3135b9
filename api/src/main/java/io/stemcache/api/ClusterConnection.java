package io.stemcache.api;

import io.stemcache.client.AnalysisLeases;
import io.stemcache.core.AudioCacheService;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;

/**
 * How the node lives without the cluster. Its Hazelcast client starts at once and connects in the background
 * ({@code async-start: true} in stemcache-api-client.yaml), so the node starts, and serves readiness DOWN, while no
 * member answers. What needs the cluster to be built (a map proxy is created on the cluster) is built on first use
 * instead: the service and this package's controllers are lazy, and {@link ClusterGate} keeps callers from them
 * with a 503 until the client is connected.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConnection {

    /** After Spring Security's filter chain (order -100): authentication is answered first. */
    static final int GATE_ORDER = 0;

    @Bean
    FilterRegistrationBean<ClusterGate> clusterGate(ClusterHealth cluster, ApiProperties properties) {
        FilterRegistrationBean<ClusterGate> registration =
                new FilterRegistrationBean<>(new ClusterGate(cluster, properties.retryAfterSeconds()));
        registration.setOrder(GATE_ORDER);
        registration.addUrlPatterns("/api/*");
        return registration;
    }

    /**
     * The {@link AudioCacheService}, the {@link AnalysisLeases} and every controller of this package are created on
     * their first request.
     */
    @Bean
    static BeanFactoryPostProcessor clusterBeansOnFirstUse() {
        return factory -> {
            String apiPackage = ClusterConnection.class.getPackageName() + ".";
            for (String name : factory.getBeanDefinitionNames()) {
                BeanDefinition definition = factory.getBeanDefinition(name);
                if (definition instanceof AnnotatedBeanDefinition annotated
                        && annotated.getMetadata().getClassName().startsWith(apiPackage)
                        && annotated.getMetadata().isAnnotated(Controller.class.getName())) {
                    definition.setLazyInit(true);
                }
            }
            for (Class<?> onCluster : List.of(AudioCacheService.class, AnalysisLeases.class)) {
                Arrays.stream(factory.getBeanNamesForType(onCluster, true, false))
                        .filter(factory::containsBeanDefinition)
                        .forEach(name -> factory.getBeanDefinition(name).setLazyInit(true));
            }
        };
    }
}
