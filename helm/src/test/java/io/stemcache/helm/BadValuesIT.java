package io.stemcache.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values that would deploy a broken or unsafe cluster make {@code helm template} fail, naming the key: the
 * schema for single keys, {@code stemcache.validateValues} for rules between keys (with the fixing {@code --set}).
 */
class BadValuesIT {

    private static Helm helm;

    @BeforeAll
    static void helm() {
        helm = Helm.fromSystemProperties();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --set replicaCount=0                          | replicaCount                  | greater than or equal to 1
            --set discovery.mode=foo                      | discovery.mode                | "dns", "api"
            --set-string replicaCount=three               | replicaCount                  | Expected: integer, given: string
            --set hazelcast.map.evictionSizeMb=lots       | hazelcast.map.evictionSizeMb  | Expected: integer, given: string
            --set ports.hazelcast=70000                   | ports.hazelcast               | less than or equal to 65535
            --set resources.limits.memory=3gb             | resources.limits.memory       | Does not match pattern
            --set-string networkPolicy.enabled=yes        | networkPolicy.enabled         | Expected: boolean, given: string
            --set database.url=postgres://db/stemcache    | database.url                  | Does not match pattern
            """)
    void template_rejectsSchemaViolations(String set, String key, String problem) {
        assertRejected(set, key, problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --set terminationGracePeriodSeconds=100       | terminationGracePeriodSeconds (100) must exceed | --set terminationGracePeriodSeconds=220
            --set stemcache.flushTimeoutSeconds=300       | shutdown.hazelcastMaxWaitSeconds = 430         | --set terminationGracePeriodSeconds=460
            --set hazelcast.map.evictionSizeMb=1536       | hazelcast.map.evictionSizeMb (1536)            | --set hazelcast.map.evictionSizeMb=1535
            --set resources.limits.memory=2Gi             | half of resources.limits.memory (2Gi = 2048 MiB) | --set resources.limits.memory=2049Mi
            --set autoscaling.enabled=true,autoscaling.minReplicas=8 | autoscaling.minReplicas (8)       | --set autoscaling.maxReplicas=8
            --set hazelcast.configYaml=hazelcast: x       | hazelcast.configYaml must configure map 'analyses' | --set-file hazelcast.configYaml=
            --set networkPolicy.clientPodLabels=null      | networkPolicy.clientPodLabels is empty         | --set networkPolicy.clientPodLabels
            """)
    void template_rejectsUnsafeCombinationsNamingTheFix(String set, String problem, String fix) {
        assertRejected(set, problem, fix);
    }

    private static void assertRejected(String set, String... expected) {
        int space = set.indexOf(' ');
        Helm.Result result = helm.template(set.substring(0, space), set.substring(space + 1));
        assertThat(result.exitCode()).as("helm template %s should fail; printed:%n%s", set, result.stdout()).isNotZero();
        assertThat(result.stderr()).contains(expected);
    }
}
