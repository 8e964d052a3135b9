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
            --set api.cors.allowedOrigins[0]=https://app.example.com/ | api.cors.allowedOrigins.0 | Does not match pattern
            --set api.jarPath=stemcache-api-exec.jar      | api.jarPath                   | Does not match pattern
            --set api.service.port=0                      | api.service.port              | greater than or equal to 1
            --set stemcache.initialLoadMaxMb=0            | stemcache.initialLoadMaxMb    | greater than or equal to 1
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
            --set database.password=                      | database.password is empty and database.existingSecret is not set | --set database.existingSecret=NAME
            --set networkPolicy.monitoring.podLabels=null | networkPolicy.monitoring.podLabels is empty    | --set networkPolicy.monitoring.podLabels.app\\.kubernetes\\.io/name=prometheus
            --set networkPolicy.http.fromAnyNamespace=true | networkPolicy.http.fromAnyNamespace admitted every pod | --set-json 'networkPolicy.monitoring.namespaceSelector=
            --set-json networkPolicy.http.extraFrom=[{"podSelector":{}}] | networkPolicy.http.extraFrom[0] admits every pod | name the peers
            --set api.enabled=true,api.jwt.existingSecret=s,api.networkPolicy.management.fromAnyNamespace=true | api.networkPolicy.management.fromAnyNamespace admitted every pod | networkPolicy.monitoring
            --set-json api.enabled=true,api.jwt.existingSecret="s",api.networkPolicy.management.extraFrom=[{"namespaceSelector":{}}] | api.networkPolicy.management.extraFrom[0] admits every pod | name the peers
            --set api.enabled=true                        | api.jwt.secret is empty                        | --set api.jwt.existingSecret=NAME
            --set api.enabled=true,api.jwt.secret=too-short | api.jwt.secret is 9 bytes                    | --set api.jwt.secret=
            --set api.enabled=true,api.jwt.existingSecret=s,api.autoscaling.enabled=true,api.autoscaling.minReplicas=9 | api.autoscaling.minReplicas (9) | --set api.autoscaling.maxReplicas=9
            --set api.enabled=true,api.jwt.existingSecret=s,api.ports.management=8080 | api.ports.http and api.ports.management are both 8080 | --set api.ports.management=8081
            --set api.enabled=true,api.jwt.existingSecret=s,api.terminationGracePeriodSeconds=30 | api.terminationGracePeriodSeconds (30) | --set api.terminationGracePeriodSeconds=55
            --set api.enabled=true,api.jwt.existingSecret=s,api.networkPolicy.callerPodLabels=null | api.networkPolicy.callerPodLabels is empty | --set api.networkPolicy.callerPodLabels.stemcache\\.io/api-client=true
            --set-json api.enabled=true,api.jwt.existingSecret="s",api.networkPolicy.extraFrom=[{"podSelector":{}}] | api.networkPolicy.extraFrom[0] admits every pod | api.networkPolicy.extraFrom=[{"namespaceSelector":{"matchLabels"
            --set-json api.enabled=true,api.jwt.existingSecret="s",api.networkPolicy.extraFrom=[{"namespaceSelector":{}}] | api.networkPolicy.extraFrom[0] admits every pod | name the callers
            """)
    void template_rejectsUnsafeCombinationsNamingTheFix(String set, String problem, String fix) {
        assertRejected(set, problem, fix);
    }

    private static void assertRejected(String set, String... expected) {
        int space = set.indexOf(' ');
        Helm.Result result = helm.template(set.substring(0, space), set.substring(space + 1));
        assertThat(result.exitCode())
                .as("helm template %s should fail; printed:%n%s", set, result.stdout())
                .isNotZero();
        assertThat(result.stderr()).contains(expected);
    }
}
