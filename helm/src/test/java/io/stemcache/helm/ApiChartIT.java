package io.stemcache.helm;

import static io.stemcache.helm.HelmChartIT.CLIENT_LABELS;
import static io.stemcache.helm.HelmChartIT.FULLNAME;
import static io.stemcache.helm.HelmChartIT.MEMBER_LABELS;
import static io.stemcache.helm.HelmChartIT.containerPort;
import static io.stemcache.helm.HelmChartIT.peersOnPort;
import static io.stemcache.helm.RenderedChart.annotation;
import static io.stemcache.helm.RenderedChart.at;
import static io.stemcache.helm.RenderedChart.list;
import static io.stemcache.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.client.config.YamlClientConfigBuilder;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.NearCachePreloaderConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * API nodes ({@code api.*}): nothing of them by default; switched on, Hazelcast clients of the members' client
 * Service that serve HTTP behind a NetworkPolicy of their own, with the JWT secret from a Secret.
 */
class ApiChartIT {

    static final String API = FULLNAME + "-api";
    static final Map<String, Object> API_LABELS = Map.of(
            "app.kubernetes.io/name",
            "stemcache",
            "app.kubernetes.io/instance",
            Helm.RELEASE,
            "app.kubernetes.io/component",
            "api");
    static final String JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";
    static final String CLIENT_CONFIG_FILE = "/config/stemcache-client.yaml";

    private static Helm helm;
    private static RenderedChart chart;
    private static Map<String, Object> api;

    @BeforeAll
    static void render() {
        helm = Helm.fromSystemProperties();
        chart = renderApi();
        api = chart.named("Deployment", API);
    }

    /** The chart with API nodes on and the given further arguments. */
    static RenderedChart renderApi(String... args) {
        List<String> all =
                new ArrayList<>(List.of("--set", "api.enabled=true", "--set", "api.jwt.secret=" + JWT_SECRET));
        all.addAll(List.of(args));
        return helm.render(all.toArray(String[]::new));
    }

    @Test
    void disabled_rendersNothingOfTheApiNodes() {
        RenderedChart defaults = helm.render();
        for (String kind : List.of(
                "Deployment",
                "Service",
                "ConfigMap",
                "Secret",
                "NetworkPolicy",
                "PodDisruptionBudget",
                "HorizontalPodAutoscaler",
                "ServiceMonitor")) {
            assertThat(defaults.all(kind))
                    .as(kind)
                    .noneMatch(o -> String.valueOf(at(o, "metadata", "name")).startsWith(API)
                            || "api".equals(at(o, "metadata", "labels", "app.kubernetes.io/component")));
        }
        assertThat(defaults.has("Deployment")).isFalse();
        assertThat(helm.render("--set", "metrics.serviceMonitor.enabled=true").all("ServiceMonitor"))
                .hasSize(1);
        assertThat(helm.notes()).doesNotContain(API);
    }

    @Test
    void enabled_rendersTheApiNodesBesideTheUnchangedMembers() {
        assertThat(at(api, "spec", "replicas")).isEqualTo(2);
        assertThat(map(at(api, "spec", "selector", "matchLabels"))).isEqualTo(API_LABELS);
        Map<String, Object> podLabels = map(at(api, "spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(API_LABELS);
        assertThat(chart.named("Service", API)).isNotNull();
        assertThat(chart.named("Service", API + "-management")).isNotNull();
        assertThat(chart.named("ConfigMap", API)).isNotNull();
        assertThat(chart.named("Secret", API + "-jwt")).isNotNull();
        assertThat(chart.named("NetworkPolicy", API)).isNotNull();
        assertThat(map(at(chart.named("PodDisruptionBudget", API), "spec", "selector", "matchLabels")))
                .isEqualTo(API_LABELS);
        assertThat(chart.has("HorizontalPodAutoscaler"))
                .as("autoscaling is off by default")
                .isFalse();

        // No member selector picks API pods up (client Service, headless Service, PDB, members' policy).
        assertThat(chart.one("StatefulSet")).isEqualTo(helm.render().one("StatefulSet"));
        assertThat(podLabels).doesNotContainEntry("app.kubernetes.io/component", "member");
        assertThat(map(at(chart.named("Service", FULLNAME), "spec", "selector")))
                .isEqualTo(MEMBER_LABELS);
    }

    @ParameterizedTest(name = "container {0}, service {1}")
    @CsvSource({"8080, 80", "9000, 8081"})
    void ports_serviceReachesTheHttpServerOnTheContainerPort(int containerPort, int servicePort) {
        RenderedChart rendered = containerPort == 8080 && servicePort == 80
                ? chart
                : renderApi("--set", "api.ports.http=" + containerPort, "--set", "api.service.port=" + servicePort);
        Map<String, Object> deployment = rendered.named("Deployment", API);
        assertThat(containerPort(rendered.container(deployment, "api"), "http")).isEqualTo(containerPort);
        assertThat(rendered.env(deployment, "api")).containsEntry("SERVER_PORT", String.valueOf(containerPort));
        Map<String, Object> service = rendered.named("Service", API);
        assertThat(map(at(service, "spec", "selector"))).isEqualTo(API_LABELS);
        assertThat(list(at(service, "spec", "ports")))
                .as("callers reach the http port only")
                .containsExactly(Map.of("name", "http", "port", servicePort, "targetPort", "http"));
        assertThat(peersOnPort(rendered.named("NetworkPolicy", API), containerPort))
                .isNotEmpty();
    }

    /** Health and Prometheus on a port of their own (management.server.port), which the callers' Service lacks. */
    @ParameterizedTest(name = "management {0}")
    @ValueSource(ints = {8081, 9100})
    void managementPort_servesTheProbesAndTheScrape_behindAHeadlessServiceOfItsOwn(int port) {
        RenderedChart rendered = port == 8081 ? chart : renderApi("--set", "api.ports.management=" + port);
        Map<String, Object> deployment = rendered.named("Deployment", API);
        Map<String, Object> container = rendered.container(deployment, "api");
        assertThat(containerPort(container, "management")).isEqualTo(port);
        assertThat(rendered.env(deployment, "api")).containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(port));
        Map<String, Object> management = rendered.named("Service", API + "-management");
        assertThat(at(management, "spec", "clusterIP")).isEqualTo("None");
        assertThat(at(management, "spec", "publishNotReadyAddresses"))
                .as("a node without its cluster is scraped too")
                .isEqualTo(true);
        assertThat(map(at(management, "spec", "selector"))).isEqualTo(API_LABELS);
        assertThat(list(at(management, "spec", "ports")))
                .containsExactly(Map.of("name", "management", "port", port, "targetPort", "management"));
        assertThat(peersOnPort(rendered.named("NetworkPolicy", API), port))
                .containsExactly(
                        Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus"))));
    }

    /** The API node's Spring Boot probe groups: readiness includes the cluster connection, liveness does not. */
    @Test
    void probes_hitTheApiNodesHealthGroupsOnTheManagementPort() {
        Map<String, Object> container = chart.container(api, "api");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
        }
    }

    @Test
    void image_isTheMembersByDefaultAndTheCommandRunsTheApiJar() {
        Map<String, Object> container = chart.container(api, "api");
        assertThat(container.get("image"))
                .isEqualTo(chart.container(chart.one("StatefulSet"), "member").get("image"));
        assertThat(list(container.get("command")))
                .containsExactly("sh", "-c", "exec java $JAVA_OPTS -jar /app/stemcache-api-exec.jar");
        assertThat(container).doesNotContainKey("args");
        assertThat(chart.env(api, "api").get("JAVA_OPTS"))
                .contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError");

        RenderedChart ownImage = renderApi(
                "--set",
                "api.image.repository=registry.example/stemcache-api",
                "--set",
                "api.image.tag=1.2.0",
                "--set",
                "api.jarPath=/opt/api/api.jar");
        Map<String, Object> own = ownImage.container(ownImage.named("Deployment", API), "api");
        assertThat(own.get("image")).isEqualTo("registry.example/stemcache-api:1.2.0");
        assertThat(list(own.get("command")).get(2)).isEqualTo("exec java $JAVA_OPTS -jar /opt/api/api.jar");
        RenderedChart memberTag = renderApi("--set", "image.tag=0.3.0");
        assertThat(memberTag
                        .container(memberTag.named("Deployment", API), "api")
                        .get("image"))
                .isEqualTo("stemcache/stemcache-node:0.3.0");
    }

    @Test
    void env_jwtSecretComesFromTheSecretAndTheOtherSettingsInline() {
        Map<String, String> env = chart.env(api, "api");
        assertThat(env)
                .containsEntry("STEMCACHE_API_JWT_SECRET", "secret:" + API + "-jwt/jwt-secret")
                .containsEntry("STEMCACHE_API_JWT_ISSUER", "")
                .containsEntry("STEMCACHE_API_JWT_AUDIENCE", "authenticated")
                .containsEntry("STEMCACHE_CLIENT_CONFIG", "file:" + CLIENT_CONFIG_FILE)
                .doesNotContainKeys("STEMCACHE_API_CORS_ALLOWED_ORIGINS", "STEMCACHE_API_JWT_JWK_SET_URI");
        String stored = String.valueOf(at(chart.named("Secret", API + "-jwt"), "data", "jwt-secret"));
        assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8))
                .isEqualTo(JWT_SECRET);

        RenderedChart configured = helm.render(
                "--set",
                "api.enabled=true",
                "--set",
                "api.jwt.existingSecret=supabase",
                "--set",
                "api.jwt.existingSecretKey=jwt",
                "--set",
                "api.jwt.issuer=https://abc.supabase.co/auth/v1",
                "--set",
                "api.cors.allowedOrigins={https://app.example.com,http://localhost:5173}");
        assertThat(configured.env(configured.named("Deployment", API), "api"))
                .containsEntry("STEMCACHE_API_JWT_SECRET", "secret:supabase/jwt")
                .containsEntry("STEMCACHE_API_JWT_ISSUER", "https://abc.supabase.co/auth/v1")
                .containsEntry("STEMCACHE_API_CORS_ALLOWED_ORIGINS", "https://app.example.com,http://localhost:5173");
        assertThat(configured.all("Secret"))
                .as("the existing Secret is used, none is created for the API")
                .noneMatch(s -> String.valueOf(at(s, "metadata", "name")).startsWith(API));
    }

    /** The mounted file is the one STEMCACHE_CLIENT_CONFIG names, and Hazelcast reads it as intended. */
    @Test
    void clientConfig_connectsToTheMembersClientServiceWithTheClusterName() throws IOException {
        ClientConfig config = mountedClientConfig(chart);
        assertThat(config.getClusterName()).isEqualTo("stemcache");
        String address = FULLNAME + "." + Helm.NAMESPACE + ".svc.cluster.local:5701";
        assertThat(config.getNetworkConfig().getAddresses()).containsExactly(address);
        Map<String, Object> clientService = chart.named("Service", FULLNAME);
        assertThat(at(clientService, "spec", "ports", 0, "port")).isEqualTo(5701);
        assertThat(map(at(clientService, "spec", "selector"))).isEqualTo(MEMBER_LABELS);
        assertThat(config.getNetworkConfig().getClusterRoutingConfig().getRoutingMode())
                .isEqualTo(RoutingMode.ALL_MEMBERS);
        assertThat(config.getConnectionStrategyConfig().isAsyncStart())
                .as("the node starts without the cluster, not ready until it connects")
                .isTrue();
        assertThat(config.getConnectionStrategyConfig().getReconnectMode()).isEqualTo(ReconnectMode.ON);
        assertThat(config.getConnectionStrategyConfig()
                        .getConnectionRetryConfig()
                        .getClusterConnectTimeoutMillis())
                .as("an API node never gives up on the cluster")
                .isEqualTo(-1);

        RenderedChart moved = renderApi(
                "--set",
                "hazelcast.clusterName=audio-prod",
                "--set",
                "ports.hazelcast=5801",
                "--set",
                "clusterDomain=k8s.example");
        ClientConfig movedConfig = mountedClientConfig(moved);
        assertThat(movedConfig.getClusterName()).isEqualTo("audio-prod");
        assertThat(movedConfig.getNetworkConfig().getAddresses())
                .containsExactly(FULLNAME + "." + Helm.NAMESPACE + ".svc.k8s.example:5801");
        assertThat(moved.env(moved.one("StatefulSet"), "member")).containsEntry("HZ_CLUSTERNAME", "audio-prod");
    }

    @Test
    void clientConfig_nearCacheIsTheOneTheClientModuleShips() throws IOException {
        Path shippedYaml =
                Path.of(Helm.requiredProperty("stemcache.repo.dir"), "client/src/main/resources/stemcache-client.yaml");
        NearCacheConfig shipped;
        try (InputStream in = Files.newInputStream(shippedYaml)) {
            shipped = new YamlClientConfigBuilder(in)
                    .build()
                    .getNearCacheConfigMap()
                    .get("analyses");
        }
        assertThat(shipped).isNotNull();
        assertThat(shipped.getPreloaderConfig().isEnabled())
                .as("off in the library's file")
                .isFalse();
        // The same but for the preloader, which the chart switches on, one directory per pod.
        shipped.getPreloaderConfig().setEnabled(true).setDirectory("/tmp/stemcache-near-cache");
        assertThat(mountedClientConfig(chart).getNearCacheConfigMap().get("analyses"))
                .isEqualTo(shipped);

        NearCacheConfig resized = mountedClientConfig(renderApi(
                        "--set", "api.nearCache.maxEntries=16", "--set", "api.nearCache.timeToLiveSeconds=60"))
                .getNearCacheConfigMap()
                .get("analyses");
        assertThat(resized.getEvictionConfig().getSize()).isEqualTo(16);
        assertThat(resized.getTimeToLiveSeconds()).isEqualTo(60);
        assertThat(resized.getInMemoryFormat()).isEqualTo(shipped.getInMemoryFormat());
    }

    /** Issue 13: no hash of a Secret's content in a pod spec. A new JWT secret changes nothing in the Deployment. */
    @Test
    void checksum_rollsPodsWhenTheClientConfigChangesAndCarriesNothingOfTheJwtSecret() {
        String checksum = annotation(map(at(api, "spec", "template")), "checksum/config");
        assertThat(checksum).matches("[0-9a-f]{64}");
        RenderedChart otherCluster = renderApi("--set", "hazelcast.clusterName=other");
        assertThat(annotation(map(at(otherCluster.named("Deployment", API), "spec", "template")), "checksum/config"))
                .isNotEqualTo(checksum);

        RenderedChart otherSecret =
                helm.render("--set", "api.enabled=true", "--set", "api.jwt.secret=" + JWT_SECRET + "-rotated");
        assertThat(otherSecret.named("Deployment", API)).isEqualTo(api);
        assertThat(otherSecret.named("Secret", API + "-jwt")).isNotEqualTo(chart.named("Secret", API + "-jwt"));
    }

    @Test
    void clientLabel_letsApiPodsThroughTheMembersNetworkPolicyOnTheMemberPort() {
        Map<String, Object> podLabels = map(at(api, "spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(CLIENT_LABELS);
        List<Object> peers = peersOnPort(chart.named("NetworkPolicy", FULLNAME), 5701);
        assertThat(peers).anySatisfy(peer -> {
            assertThat(map(peer)).containsOnlyKeys("podSelector");
            assertThat(podLabels).containsAllEntriesOf(map(at(peer, "podSelector", "matchLabels")));
        });

        RenderedChart relabelled = renderApi("--set", "networkPolicy.clientPodLabels.team=audio");
        assertThat(map(at(relabelled.named("Deployment", API), "spec", "template", "metadata", "labels")))
                .containsEntry("team", "audio");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "",
                "api.networkPolicy.callerNamespaceSelector={\"matchLabels\":{\"kubernetes.io/metadata.name\":\"product\"}}",
                "api.networkPolicy.extraFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"ingress-nginx\"}},"
                        + "\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"ingress-nginx\"}}}]",
                "api.networkPolicy.extraFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"gateway\"}}},"
                        + "{\"ipBlock\":{\"cidr\":\"10.20.0.0/16\"}}]"
            })
    void networkPolicy_noHttpIngressRuleOfTheApiPolicyAdmitsEveryPod(String json) {
        RenderedChart rendered = json.isEmpty() ? chart : renderApi("--set-json", json);
        Map<String, Object> policy = rendered.named("NetworkPolicy", API);
        assertThat(map(at(policy, "spec", "podSelector", "matchLabels"))).isEqualTo(API_LABELS);
        assertThat(list(at(policy, "spec", "policyTypes"))).contains("Ingress");
        List<Object> rules = list(at(policy, "spec", "ingress")).stream()
                .filter(rule -> !list(at(rule, "ports")).contains(Map.of("protocol", "TCP", "port", 8081)))
                .toList();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(list(at(rule, "ports"))).containsExactly(Map.of("protocol", "TCP", "port", 8080));
            // A rule without peers admits every source.
            assertThat(at(rule, "from")).as("peers of " + rule).isNotNull();
            assertThat(list(at(rule, "from"))).isNotEmpty().noneMatch(ApiChartIT::admitsEveryPod);
        });
        assertThat(list(at(rules, 0, "from")))
                .contains(Map.of("podSelector", Map.of("matchLabels", Map.of("stemcache.io/api-client", "true"))));
    }

    /** The management port: the monitoring pods (networkPolicy.monitoring), or further peers; nothing else. */
    @Test
    void networkPolicy_managementPortAdmitsTheMonitoringPodsOrAsConfigured() {
        Map<String, Object> managementRule = Map.of("protocol", "TCP", "port", 8081);
        assertThat(list(at(chart.named("NetworkPolicy", API), "spec", "ingress")))
                .filteredOn(rule -> list(at(rule, "ports")).contains(managementRule))
                .singleElement()
                .satisfies(rule -> assertThat(list(at(rule, "ports"))).containsExactly(managementRule));
        RenderedChart monitoring = renderApi(
                "--set-json",
                "networkPolicy.monitoring.namespaceSelector={\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}",
                "--set-json",
                "api.networkPolicy.management.extraFrom=[{\"ipBlock\":{\"cidr\":\"10.30.0.0/16\"}}]");
        assertThat(peersOnPort(monitoring.named("NetworkPolicy", API), 8081))
                .containsExactly(
                        Map.of(
                                "podSelector",
                                Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")),
                                "namespaceSelector",
                                Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring"))),
                        Map.of("ipBlock", Map.of("cidr", "10.30.0.0/16")));
        assertThat(peersOnPort(monitoring.named("NetworkPolicy", API), 8080)).noneMatch(ApiChartIT::admitsEveryPod);
    }

    @Test
    void serviceMonitor_scrapesEveryApiNodesManagementPortThroughItsHeadlessServiceOnly() {
        RenderedChart monitored = renderApi(
                "--set",
                "metrics.serviceMonitor.enabled=true",
                "--set",
                "metrics.serviceMonitor.labels.release=prometheus");
        Map<String, Object> monitor = monitored.named("ServiceMonitor", API);
        assertThat(map(at(monitor, "spec", "endpoints", 0)))
                .containsEntry("port", "management")
                .containsEntry("path", "/actuator/prometheus");
        assertThat(map(at(monitor, "metadata", "labels"))).containsEntry("release", "prometheus");
        Map<String, Object> selector = map(at(monitor, "spec", "selector", "matchLabels"));
        List<Object> selected = monitored.all("Service").stream()
                .filter(s -> map(at(s, "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
                .map(s -> at(s, "metadata", "name"))
                .toList();
        assertThat(selected).containsExactly(API + "-management");
        assertThat(monitored.all("ServiceMonitor"))
                .as("the members' and the API nodes'")
                .hasSize(2);
        assertThat(chart.has("ServiceMonitor")).as("off by default").isFalse();
    }

    /**
     * The check above would pass vacuously if it flagged nothing: it flags empty selectors (the members' HTTP rule was
     * one, {@code podSelector: {}}, until issue 13; the chart now refuses every such peer, see BadValuesIT).
     */
    @Test
    void admitsEveryPod_flagsEmptySelectorsOnly() {
        assertThat(admitsEveryPod(Map.of("podSelector", Map.of()))).isTrue();
        assertThat(admitsEveryPod(
                        Map.of("namespaceSelector", Map.of(), "podSelector", Map.of("matchLabels", Map.of()))))
                .isTrue();
        assertThat(admitsEveryPod(Map.of("podSelector", Map.of("matchLabels", CLIENT_LABELS))))
                .isFalse();
        assertThat(admitsEveryPod(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "audio")))))
                .isFalse();
        assertThat(admitsEveryPod(Map.of("namespaceSelector", Map.of()))).isTrue();
        assertThat(admitsEveryPod(Map.of("ipBlock", Map.of("cidr", "0.0.0.0/0"))))
                .isFalse();
    }

    @Test
    void autoscaling_targetsTheApiDeploymentWhichThenLeavesReplicasToIt() {
        RenderedChart scaled = renderApi("--set", "api.autoscaling.enabled=true");
        Map<String, Object> hpa = scaled.named("HorizontalPodAutoscaler", API);
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(map(at(hpa, "spec", "scaleTargetRef")))
                .containsEntry("kind", "Deployment")
                .containsEntry("name", API);
        assertThat(at(hpa, "spec", "minReplicas")).isEqualTo(2);
        assertThat(at(hpa, "spec", "maxReplicas")).isEqualTo(6);
        assertThat(at(hpa, "spec", "metrics", 0, "resource", "name")).isEqualTo("cpu");
        assertThat(map(at(scaled.named("Deployment", API), "spec"))).doesNotContainKey("replicas");
        assertThat(scaled.all("HorizontalPodAutoscaler"))
                .as("the members keep their own setting")
                .hasSize(1);
        assertThat(at(scaled.one("StatefulSet"), "spec", "replicas")).isEqualTo(3);
    }

    @Test
    void security_apiNodesRunAsNonRootOnAReadOnlyRootWithoutAServiceAccountToken() throws IOException {
        Map<String, Object> pod = map(at(api, "spec", "template", "spec"));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> container = chart.container(api, "api");
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(list(container.get("volumeMounts"))).contains(Map.of("name", "tmp", "mountPath", "/tmp"));
        NearCachePreloaderConfig preloader = mountedClientConfig(chart)
                .getNearCacheConfigMap()
                .get("analyses")
                .getPreloaderConfig();
        assertThat(preloader.isEnabled()).isTrue();
        assertThat(preloader.getDirectory())
                .as("the near cache's keys are saved on the writable volume")
                .startsWith("/tmp/");
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        String preStop = String.valueOf(at(container, "lifecycle", "preStop", "exec", "command", 2));
        assertThat(grace).isGreaterThan(Integer.parseInt(HelmChartIT.match("^sleep (\\d+)$", preStop)) + 30);
    }

    @Test
    void notes_tellHowToReachTheApiNodes() {
        assertThat(helm.notes("--set", "api.enabled=true", "--set", "api.jwt.existingSecret=supabase"))
                .contains(
                        "kubectl -n " + Helm.NAMESPACE + " port-forward svc/" + API + " 8080:80",
                        "curl http://localhost:8080/readyz",
                        "curl http://localhost:8080/v3/api-docs",
                        ":8081/actuator/prometheus",
                        "rollout restart deployment/" + API,
                        "WARNING: api.jwt.issuer is empty");
    }

    /**
     * The ConfigMap's file behind STEMCACHE_CLIENT_CONFIG, parsed by Hazelcast's own client YAML builder (which
     * validates it against Hazelcast's schema).
     */
    private static ClientConfig mountedClientConfig(RenderedChart rendered) throws IOException {
        Map<String, Object> deployment = rendered.named("Deployment", API);
        String location = rendered.env(deployment, "api").get("STEMCACHE_CLIENT_CONFIG");
        assertThat(location).isEqualTo("file:" + CLIENT_CONFIG_FILE);
        Path file = Path.of(location.substring("file:".length()));
        Object mount = list(at(rendered.container(deployment, "api"), "volumeMounts")).stream()
                .filter(m -> file.getParent().toString().equals(at(m, "mountPath")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + file.getParent()));
        Object volume = list(at(deployment, "spec", "template", "spec", "volumes")).stream()
                .filter(v -> at(mount, "name").equals(at(v, "name")))
                .findFirst()
                .orElseThrow();
        Map<String, Object> configMap = rendered.named("ConfigMap", String.valueOf(at(volume, "configMap", "name")));
        String yaml = String.valueOf(at(configMap, "data", file.getFileName().toString()));
        try (InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))) {
            return new YamlClientConfigBuilder(in).build();
        }
    }

    /** A NetworkPolicy peer that selects every pod of a namespace, or of all namespaces. */
    static boolean admitsEveryPod(Object peer) {
        Map<String, Object> p = map(peer);
        if (p.containsKey("ipBlock")) {
            return false;
        }
        return selectsEverything(p.get("podSelector"))
                && (!p.containsKey("namespaceSelector") || selectsEverything(p.get("namespaceSelector")));
    }

    private static boolean selectsEverything(Object selector) {
        if (selector == null) {
            return true;
        }
        Map<String, Object> s = map(selector);
        return Stream.of("matchLabels", "matchExpressions")
                .map(s::get)
                .allMatch(v -> v == null
                        || (v instanceof Map<?, ?> m && m.isEmpty())
                        || (v instanceof List<?> l && l.isEmpty()));
    }
}
