package io.stemcache.node;

import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.liquibase.testing.ProductSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** What {@link NodeUnderTest} does to a test class's context: its database, its proxy, its cluster. */
final class NodeUnderTestCustomizer implements ContextCustomizer {

    private static final Pattern SERVER = Pattern.compile("//([^:/]+)(?::(\\d+))?/");

    private final Class<?> testClass;
    private final NodeUnderTest node;

    private NodeUnderTestCustomizer(Class<?> testClass, NodeUnderTest node) {
        this.testClass = testClass;
        this.node = node;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
        FreshDatabase database =
                node.productSchema() ? ProductSchema.create(node.database()) : FreshDatabase.create(node.database());
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        // Registered before any bean of the node, so destroyed after all of them: the pool and the members
        // (which flush to it) are gone when the database is dropped.
        beans.registerSingleton("testDatabase", database);
        beans.registerDisposableBean("testDatabase", database::close);
        String url = database.jdbcUrl();
        if (node.throughProxy()) {
            TcpProxy proxy = proxyTo(url);
            beans.registerSingleton("testDatabaseProxy", proxy);
            beans.registerDisposableBean("testDatabaseProxy", proxy::close);
            url = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", url);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("nodeUnderTest", properties));
        String cluster = node.database().replace('_', '-') + "-it-" + UUID.randomUUID();
        beans.registerSingleton(
                "isolatedCluster",
                node.writeDelaySeconds() > 0
                        ? IsolatedCluster.on(cluster, node.port(), node.writeDelaySeconds())
                        : IsolatedCluster.on(cluster, node.port()));
    }

    private static TcpProxy proxyTo(String jdbcUrl) {
        Matcher server = SERVER.matcher(jdbcUrl);
        if (!server.find()) {
            throw new IllegalArgumentException("no host in " + jdbcUrl);
        }
        return TcpProxy.to(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)));
    }

    // One context per test class, as before the harness: never shared through Spring's context cache.
    @Override
    public boolean equals(Object other) {
        return other instanceof NodeUnderTestCustomizer customizer && customizer.testClass == testClass;
    }

    @Override
    public int hashCode() {
        return testClass.hashCode();
    }

    /** Finds {@link NodeUnderTest} on a test class. */
    static final class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(
                Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
            NodeUnderTest node = AnnotatedElementUtils.findMergedAnnotation(testClass, NodeUnderTest.class);
            return node == null ? null : new NodeUnderTestCustomizer(testClass, node);
        }
    }
}
