package io.stemcache.node.database;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Creates the PostgreSQL database named in {@code spring.datasource.url} when it does not exist yet, so a
 * node starts on a fresh machine. Off with {@code stemcache.create-database=false} (production, where the
 * database is provisioned and the node's role may not create databases).
 */
public final class DatabaseBootstrap implements BeanPostProcessor, EnvironmentAware {

    private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);
    private static final Pattern POSTGRES_URL = Pattern.compile("(jdbc:postgresql://[^/]*/)([^?]+)(\\?.*)?");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private boolean enabled = true;

    @Override
    public void setEnvironment(Environment environment) {
        enabled = environment.getProperty("stemcache.create-database", Boolean.class, true);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (enabled && bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null) {
            createIfMissing(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
        }
        return bean;
    }

    public static void createIfMissing(String jdbcUrl, String user, String password) {
        Matcher url = POSTGRES_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            return;
        }
        String database = url.group(2);
        if (!SAFE_NAME.matcher(database).matches()) {
            log.warn("Not creating database '{}': only names of letters, digits and '_' are created", database);
            return;
        }
        String adminUrl = url.group(1) + "postgres" + (url.group(3) == null ? "" : url.group(3));
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        // As the node's pool (application.yaml): pgjdbc's errors carry no row values.
        properties.setProperty("logServerErrorDetail", "false");
        try (Connection connection = DriverManager.getConnection(adminUrl, properties)) {
            try (PreparedStatement exists =
                    connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + database + "\"");
            }
            log.info("Created database '{}' (stemcache.create-database=true)", database);
        } catch (SQLException e) {
            // The pool reports the real problem when it connects; this is only a convenience.
            log.warn(
                    "Could not check or create database '{}' via {}: {}",
                    database,
                    JdbcUrl.withoutSecrets(adminUrl),
                    e.getMessage());
        }
    }
}
