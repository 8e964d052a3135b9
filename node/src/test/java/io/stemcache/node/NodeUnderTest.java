package io.stemcache.node;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * The Spring IT harness: the node that a {@code @SpringBootTest} class starts gets a PostgreSQL database and a
 * one-member cluster of its own ({@link IsolatedCluster}), so it never joins a local node or another test's member.
 * The database is made when the class's context is built and dropped after the context has closed (its members and
 * pool first). Test classes autowire {@link io.stemcache.liquibase.testing.FreshDatabase}, and with
 * {@link #throughProxy()} the {@link TcpProxy} the node reaches it through; the cluster's name is the member's own
 * ({@code hazelcast.getConfig().getClusterName()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ContextCustomizerFactories(NodeUnderTestCustomizer.Factory.class)
public @interface NodeUnderTest {

    /** What the database is for: the start of its name (see {@code FreshDatabase.create}). */
    String database();

    /** The member's port; distinct per test class. */
    int port();

    /** The analyses map's write-behind delay in seconds; below 1: {@code hazelcast.yaml}'s. */
    int writeDelaySeconds() default 0;

    /** A database holding the product's schema (its users and files tables) rather than an empty one. */
    boolean productSchema() default false;

    /** The node reaches PostgreSQL through a {@link TcpProxy} the test can cut and restore. */
    boolean throughProxy() default false;
}
