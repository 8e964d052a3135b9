{{/*
Names, labels and the rules between values, defined once for every template.
*/}}

{{- define "stemcache.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped prefix of every resource name; short enough for the "-headless" and "-mancenter" suffixes. */}}
{{- define "stemcache.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 53 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 53 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 53 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "stemcache.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "stemcache.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stemcache.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selects member pods only: Management Center and test pods share the name and instance labels. */}}
{{- define "stemcache.memberSelectorLabels" -}}
{{ include "stemcache.selectorLabels" . }}
app.kubernetes.io/component: member
{{- end -}}

{{- define "stemcache.mcSelectorLabels" -}}
{{ include "stemcache.selectorLabels" . }}
app.kubernetes.io/component: management-center
{{- end -}}

{{- define "stemcache.labels" -}}
helm.sh/chart: {{ include "stemcache.chart" . }}
{{ include "stemcache.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* metadata.annotations from commonAnnotations, or nothing. */}}
{{- define "stemcache.annotations" -}}
{{- with .Values.commonAnnotations -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* Members find each other through this Service (DNS mode) or its endpoints (API mode). */}}
{{- define "stemcache.headlessServiceName" -}}
{{- printf "%s-headless" (include "stemcache.fullname" .) -}}
{{- end -}}

{{- define "stemcache.headlessServiceFqdn" -}}
{{- printf "%s.%s.svc.%s" (include "stemcache.headlessServiceName" .) .Release.Namespace .Values.clusterDomain -}}
{{- end -}}

{{/* The address API nodes and Management Center put in their member list. */}}
{{- define "stemcache.clientServiceAddress" -}}
{{- printf "%s.%s.svc.%s:%d" (include "stemcache.fullname" .) .Release.Namespace .Values.clusterDomain (int .Values.ports.hazelcast) -}}
{{- end -}}

{{- define "stemcache.mcFullname" -}}
{{- printf "%s-mancenter" (include "stemcache.fullname" .) -}}
{{- end -}}

{{/* API nodes (api.*): a Deployment, its Service, ConfigMap, Secret and policies all carry this name. */}}
{{- define "stemcache.apiFullname" -}}
{{- printf "%s-api" (include "stemcache.fullname" .) -}}
{{- end -}}

{{- define "stemcache.apiSelectorLabels" -}}
{{ include "stemcache.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end -}}

{{/* The members' image unless api.image.* says otherwise; it must contain api.jarPath. */}}
{{- define "stemcache.apiImage" -}}
{{- $repository := default .Values.image.repository .Values.api.image.repository -}}
{{- $tag := default (default .Chart.AppVersion .Values.image.tag) .Values.api.image.tag -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{/* The Secret API nodes read the JWT secret from, and its key. */}}
{{- define "stemcache.apiJwtSecretName" -}}
{{- default (printf "%s-jwt" (include "stemcache.apiFullname" .)) .Values.api.jwt.existingSecret -}}
{{- end -}}

{{- define "stemcache.apiJwtSecretKey" -}}
{{- if .Values.api.jwt.existingSecret -}}
{{- .Values.api.jwt.existingSecretKey -}}
{{- else -}}
jwt-secret
{{- end -}}
{{- end -}}

{{/* "true" when a label selector (matchLabels, matchExpressions) is absent or selects everything. */}}
{{/*
The peers admitted to a management port (members' ports.http, API nodes' api.ports.management): the monitoring
pods (networkPolicy.monitoring), in their namespaces or this one. Rendered as list items, indented by the caller.
*/}}
{{- define "stemcache.monitoringPeer" -}}
- podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.monitoring.podLabels | nindent 6 }}
  {{- with .Values.networkPolicy.monitoring.namespaceSelector }}
  namespaceSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* The chart's `helm test` pod, which asks every member's readiness on its management port. */}}
{{- define "stemcache.testPodPeer" -}}
- podSelector:
    matchLabels:
      {{- include "stemcache.selectorLabels" . | nindent 6 }}
      app.kubernetes.io/component: test
{{- end -}}

{{/* "true" when a NetworkPolicy peer admits every pod of a namespace or of all namespaces. */}}
{{- define "stemcache.peerAdmitsEveryPod" -}}
{{- $peer := . -}}
{{- and (not (hasKey $peer "ipBlock")) (eq (include "stemcache.selectorIsEmpty" $peer.podSelector) "true") (or (not (hasKey $peer "namespaceSelector")) (eq (include "stemcache.selectorIsEmpty" $peer.namespaceSelector) "true")) | toString -}}
{{- end -}}

{{- define "stemcache.selectorIsEmpty" -}}
{{- $selector := . | default dict -}}
{{- and (empty (get $selector "matchLabels")) (empty (get $selector "matchExpressions")) | toString -}}
{{- end -}}

{{- define "stemcache.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "stemcache.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "stemcache.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret members read the database password from. */}}
{{- define "stemcache.dbSecretName" -}}
{{- default (printf "%s-db" (include "stemcache.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{/*
The Secret the migration Job reads. Hooks run before the release's ordinary resources exist, so
unless the Secret pre-exists the chart renders a hook copy of it, created just before the Job.
*/}}
{{- define "stemcache.migrationSecretName" -}}
{{- default (printf "%s-migration-db" (include "stemcache.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{- define "stemcache.dbSecretKey" -}}
{{- if .Values.database.existingSecret -}}
{{- .Values.database.existingSecretPasswordKey -}}
{{- else -}}
password
{{- end -}}
{{- end -}}

{{/* JVM flags: heap from the container limit, die on OOM (the StatefulSet restarts it), graceful leave. */}}
{{- define "stemcache.javaOpts" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .Values.jvm.maxRamPercentage) "-XX:+ExitOnOutOfMemoryError" -}}
{{- $opts = append $opts (printf "-Dhazelcast.graceful.shutdown.max.wait=%d" (int .Values.shutdown.hazelcastMaxWaitSeconds)) -}}
{{- if .Values.hazelcast.configYaml -}}
{{- $opts = append $opts "-Dhazelcast.config=/config/hazelcast.yaml" -}}
{{- end -}}
{{- with .Values.jvm.extraOpts -}}
{{- $opts = append $opts . -}}
{{- end -}}
{{- join " " $opts -}}
{{- end -}}

{{/* A memory quantity (e.g. 3Gi, 3072Mi, 3G) in MiB, rounded down. */}}
{{- define "stemcache.memoryMiB" -}}
{{- $q := toString . -}}
{{- $n := regexFind "^[0-9]+" $q | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" $q "" -}}
{{- $factors := dict "Ki" (list 1024 1048576) "Mi" (list 1 1) "Gi" (list 1024 1) "Ti" (list 1048576 1) "k" (list 1000 1048576) "M" (list 1000000 1048576) "G" (list 1000000000 1048576) "T" (list 1000000000000 1048576) "" (list 1 1048576) -}}
{{- $f := get $factors $unit | default (list 0 1) -}}
{{- div (mul $n (index $f 0)) (index $f 1) -}}
{{- end -}}

{{/* "true" when a parsed hazelcast.yaml enables the analyses map's map-store; tolerates any shape. */}}
{{- define "stemcache.analysesMapStoreEnabled" -}}
{{- $node := . -}}
{{- range list "hazelcast" "map" "analyses" "map-store" "enabled" -}}
{{- if kindIs "map" $node -}}
{{- $node = get $node . -}}
{{- else -}}
{{- $node = "" -}}
{{- end -}}
{{- end -}}
{{- toString $node -}}
{{- end -}}

{{/* The spill directory: on the member's own volume with spill.persistence, else in the /tmp emptyDir. */}}
{{- define "stemcache.spillDir" -}}
{{- if .Values.spill.persistence.enabled -}}/var/lib/stemcache/spill{{- else -}}/tmp/stemcache-spill{{- end -}}
{{- end -}}

{{/* Rules between values that the schema cannot express; each message names the key and the fix. */}}
{{- define "stemcache.validateValues" -}}
{{- $messages := list -}}
{{- $grace := int .Values.terminationGracePeriodSeconds -}}
{{- $needed := add .Values.shutdown.preStopSleepSeconds .Values.stemcache.flushTimeoutSeconds .Values.shutdown.hazelcastMaxWaitSeconds -}}
{{- if le $grace $needed -}}
{{- $messages = append $messages (printf "terminationGracePeriodSeconds (%d) must exceed shutdown.preStopSleepSeconds + stemcache.flushTimeoutSeconds + shutdown.hazelcastMaxWaitSeconds = %d, or Kubernetes kills members before their write-behind queue is flushed: --set terminationGracePeriodSeconds=%d" $grace $needed (add $needed 30)) -}}
{{- end -}}
{{- if and (not .Values.database.existingSecret) (empty .Values.database.password) -}}
{{- $messages = append $messages "database.password is empty and database.existingSecret is not set, so members would connect to PostgreSQL without a password: --set database.existingSecret=NAME (a Secret holding the password under database.existingSecretPasswordKey) or --set database.password=..." -}}
{{- end -}}
{{- $limitMiB := include "stemcache.memoryMiB" .Values.resources.limits.memory | int -}}
{{- $cap := int .Values.hazelcast.map.evictionSizeMb -}}
{{- if ge (mul $cap 2) $limitMiB -}}
{{- $messages = append $messages (printf "hazelcast.map.evictionSizeMb (%d) must stay below half of resources.limits.memory (%s = %d MiB), or the heap runs out before eviction starts: --set hazelcast.map.evictionSizeMb=%d or --set resources.limits.memory=%dMi" $cap (toString .Values.resources.limits.memory) $limitMiB (sub (div $limitMiB 2) 1) (add (mul $cap 2) 1)) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- $messages = append $messages (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d): --set autoscaling.maxReplicas=%d" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- end -}}
{{- with .Values.discovery.partitionGroup -}}
{{- if ne $.Values.discovery.mode "api" -}}
{{- $messages = append $messages (printf "discovery.partitionGroup=%s needs discovery.mode=api: only the Kubernetes API tells a member its node and zone (with dns every member would be in one group, and partitions would have no backup): --set discovery.mode=api" .) -}}
{{- else if and (eq . "zone-aware") (not $.Values.discovery.api.nodeAccess) -}}
{{- $messages = append $messages "discovery.partitionGroup=zone-aware reads each member's zone from its Kubernetes node, which needs read access to nodes: --set discovery.api.nodeAccess=true" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.networkPolicy.enabled (empty .Values.networkPolicy.clientPodLabels) -}}
{{- $messages = append $messages "networkPolicy.clientPodLabels is empty, so no API node could reach the members: --set networkPolicy.clientPodLabels.stemcache\\.io/client=true" -}}
{{- end -}}
{{- if .Values.networkPolicy.enabled -}}
{{- if empty .Values.networkPolicy.monitoring.podLabels -}}
{{- $messages = append $messages "networkPolicy.monitoring.podLabels is empty, which would admit every pod to the members' and API nodes' management ports (the actuator): name your Prometheus pods, e.g. --set networkPolicy.monitoring.podLabels.app\\.kubernetes\\.io/name=prometheus" -}}
{{- end -}}
{{- if .Values.networkPolicy.http.fromAnyNamespace -}}
{{- $messages = append $messages "networkPolicy.http.fromAnyNamespace admitted every pod of every namespace to the members' management port (the actuator) and is no longer supported: name the monitoring peers instead, e.g. --set-json 'networkPolicy.monitoring.namespaceSelector={\"matchLabels\":{\"kubernetes.io/metadata.name\":\"monitoring\"}}'" -}}
{{- end -}}
{{- range $i, $peer := .Values.networkPolicy.http.extraFrom -}}
{{- if eq (include "stemcache.peerAdmitsEveryPod" $peer) "true" -}}
{{- $messages = append $messages (printf "networkPolicy.http.extraFrom[%d] admits every pod (%s) to the members' management port (the actuator): name the peers with a non-empty podSelector or namespaceSelector, or an ipBlock" $i (toJson $peer)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if .Values.hazelcast.configYaml -}}
{{- $config := fromYaml .Values.hazelcast.configYaml -}}
{{- if hasKey $config "Error" -}}
{{- $messages = append $messages (printf "hazelcast.configYaml is not valid YAML (%s): pass the file with --set-file hazelcast.configYaml=hazelcast.yaml" (get $config "Error")) -}}
{{- else if ne (include "stemcache.analysesMapStoreEnabled" $config) "true" -}}
{{- $messages = append $messages "hazelcast.configYaml must configure map 'analyses' with map-store.enabled: true (the node plugs its PostgreSQL store into it): start from node/src/main/resources/hazelcast.yaml and pass it with --set-file hazelcast.configYaml=hazelcast.yaml" -}}
{{- end -}}
{{- end -}}
{{- if .Values.api.enabled -}}
{{- $api := .Values.api -}}
{{- if and (not $api.jwt.existingSecret) (empty $api.jwt.secret) -}}
{{- $messages = append $messages "api.jwt.secret is empty and api.jwt.existingSecret is not set, so API nodes could verify no caller's token: --set api.jwt.existingSecret=NAME (a Secret holding the Supabase project's JWT secret under api.jwt.existingSecretKey) or --set api.jwt.secret=..." -}}
{{- else if and (not $api.jwt.existingSecret) (lt (len (toString $api.jwt.secret)) 32) -}}
{{- $messages = append $messages (printf "api.jwt.secret is %d bytes; an HS256 secret needs at least 32 and the API node refuses to start with less: --set api.jwt.secret=<the Supabase project's JWT secret> or --set api.jwt.existingSecret=NAME" (len (toString $api.jwt.secret))) -}}
{{- end -}}
{{- if and $api.autoscaling.enabled (gt (int $api.autoscaling.minReplicas) (int $api.autoscaling.maxReplicas)) -}}
{{- $messages = append $messages (printf "api.autoscaling.minReplicas (%d) must not exceed api.autoscaling.maxReplicas (%d): --set api.autoscaling.maxReplicas=%d" (int $api.autoscaling.minReplicas) (int $api.autoscaling.maxReplicas) (int $api.autoscaling.minReplicas)) -}}
{{- end -}}
{{- if eq (int $api.ports.http) (int $api.ports.management) -}}
{{- $messages = append $messages (printf "api.ports.http and api.ports.management are both %d; the management server (health, Prometheus) needs a port of its own, which callers do not reach: --set api.ports.management=%d" (int $api.ports.http) (add (int $api.ports.http) 1)) -}}
{{- end -}}
{{- if le (int $api.terminationGracePeriodSeconds) (add $api.preStopSleepSeconds 30) -}}
{{- $messages = append $messages (printf "api.terminationGracePeriodSeconds (%d) must exceed api.preStopSleepSeconds + 30 (Spring Boot's graceful shutdown of requests in flight) = %d: --set api.terminationGracePeriodSeconds=%d" (int $api.terminationGracePeriodSeconds) (add $api.preStopSleepSeconds 30) (add $api.preStopSleepSeconds 45)) -}}
{{- end -}}
{{- if $api.networkPolicy.enabled -}}
{{- if empty $api.networkPolicy.callerPodLabels -}}
{{- $messages = append $messages "api.networkPolicy.callerPodLabels is empty, which would admit every pod to the API's HTTP port: --set api.networkPolicy.callerPodLabels.stemcache\\.io/api-client=true" -}}
{{- end -}}
{{- if $api.networkPolicy.management.fromAnyNamespace -}}
{{- $messages = append $messages "api.networkPolicy.management.fromAnyNamespace admitted every pod of every namespace to the API nodes' management port and is no longer supported: the monitoring peers come from networkPolicy.monitoring (podLabels, namespaceSelector)" -}}
{{- end -}}
{{- range $i, $peer := $api.networkPolicy.management.extraFrom -}}
{{- if eq (include "stemcache.peerAdmitsEveryPod" $peer) "true" -}}
{{- $messages = append $messages (printf "api.networkPolicy.management.extraFrom[%d] admits every pod (%s) to the API nodes' management port: name the peers with a non-empty podSelector or namespaceSelector, or an ipBlock" $i (toJson $peer)) -}}
{{- end -}}
{{- end -}}
{{- range $i, $peer := $api.networkPolicy.extraFrom -}}
{{- if eq (include "stemcache.peerAdmitsEveryPod" $peer) "true" -}}
{{- $messages = append $messages (printf "api.networkPolicy.extraFrom[%d] admits every pod (%s) to the API's HTTP port: name the callers with a non-empty podSelector or namespaceSelector, e.g. --set-json 'api.networkPolicy.extraFrom=[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"ingress-nginx\"}}}]'" $i (toJson $peer)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $messages -}}
{{- fail (printf "\nVALUES VALIDATION:\n%s" (join "\n" $messages)) -}}
{{- end -}}
{{- end -}}
