package io.stemcache.node.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://db:5432/stemcache                                  | jdbc:postgresql://db:5432/stemcache
            jdbc:postgresql://db/stemcache?sslmode=require                       | jdbc:postgresql://db/stemcache?sslmode=require
            jdbc:postgresql://db/stemcache?password=hunter2                      | jdbc:postgresql://db/stemcache?password=***
            jdbc:postgresql://db/stemcache?user=app&password=hunter2&sslmode=verify-full | jdbc:postgresql://db/stemcache?user=app&password=***&sslmode=verify-full
            jdbc:postgresql://db/stemcache?sslmode=require&sslPassword=hunter2   | jdbc:postgresql://db/stemcache?sslmode=require&sslPassword=***
            jdbc:postgresql://db/stemcache?PASSWORD=hunter2&password=hunter2     | jdbc:postgresql://db/stemcache?PASSWORD=***&password=***
            jdbc:postgresql://app:hunter2@db/stemcache                           | jdbc:postgresql://app:***@db/stemcache
            """)
    void withoutSecrets_hidesEveryPasswordAndKeepsTheRest(String url, String logged) {
        assertThat(JdbcUrl.withoutSecrets(url)).isEqualTo(logged).doesNotContain("hunter2");
    }

    @org.junit.jupiter.api.Test
    void withoutSecrets_ofNull_isNull() {
        assertThat(JdbcUrl.withoutSecrets(null)).isNull();
    }
}
