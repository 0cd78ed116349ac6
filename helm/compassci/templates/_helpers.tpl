{{/*
Chart name, truncated to the 63 characters Kubernetes allows in a name.
*/}}
{{- define "compassci.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, with the chart name added unless the release name already holds it.
*/}}
{{- define "compassci.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "compassci.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "compassci.labels" -}}
helm.sh/chart: {{ include "compassci.chart" . }}
{{ include "compassci.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: silo
app.kubernetes.io/part-of: compassci
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: never change them in an upgrade (a Deployment's selector is immutable).
*/}}
{{- define "compassci.selectorLabels" -}}
app.kubernetes.io/name: {{ include "compassci.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
ServiceAccount name.
*/}}
{{- define "compassci.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "compassci.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Secret holding the database connection string, and the key in it.
*/}}
{{- define "compassci.secretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "compassci.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "compassci.secretKey" -}}
{{- if .Values.database.existingSecret }}
{{- required "database.existingSecretKey is required with database.existingSecret" .Values.database.existingSecretKey }}
{{- else -}}
connectionString
{{- end }}
{{- end }}

{{/*
Image reference.
*/}}
{{- define "compassci.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/*
A value as an environment variable string. Helm reads every YAML number as a float64, which toString would
print as 1.048576e+06; whole numbers are printed as integers.
*/}}
{{- define "compassci.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) }}
{{- int64 . | toString }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
`settings` as CompassCi__<Key> variables; nested maps join their keys with "__", and ":" in a key becomes "__".
Called with (dict "prefix" "CompassCi" "values" .Values.settings).
*/}}
{{- define "compassci.settingsEnv" -}}
{{- $prefix := .prefix }}
{{- range $key, $value := .values }}
{{- $name := printf "%s__%s" $prefix (replace ":" "__" (toString $key)) }}
{{- if kindIs "map" $value }}
{{- include "compassci.settingsEnv" (dict "prefix" $name "values" $value) }}
{{- else }}
- name: {{ $name | quote }}
  value: {{ include "compassci.envValue" $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Checks of values that would otherwise give a cluster that fails in ways that are hard to see.
*/}}
{{- define "compassci.validate" -}}
{{- if and (not .Values.database.existingSecret) (not .Values.database.connectionString) }}
{{- fail "Set database.connectionString or database.existingSecret: the chart needs an external MariaDB/MySQL (without one the silo would try to run a private database inside the pod)." }}
{{- end }}
{{- $grace := int .Values.terminationGracePeriodSeconds }}
{{- $needed := add (int .Values.shutdownTimeoutSeconds) (int .Values.preStopSleepSeconds) }}
{{- if le $grace (int $needed) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed shutdownTimeoutSeconds + preStopSleepSeconds (%d), or Kubernetes kills silos in the middle of their shutdown." $grace (int $needed)) }}
{{- end }}
{{- $reserved := list "connectionstring" "advertisedaddress" "clusterid" "serviceid" "siloport" "gatewayport" "installdatabase" "httpurl" }}
{{- range $key, $_ := .Values.settings }}
{{- if has (lower (toString $key)) $reserved }}
{{- fail (printf "settings.%s is set by the chart itself; use its own value (database.*, orleans.*, http.*) instead." $key) }}
{{- end }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (not .Values.podDisruptionBudget.maxUnavailable) }}
{{- $min := .Values.podDisruptionBudget.minAvailable }}
{{- if and $min (not (kindIs "string" $min)) (ge (int $min) (int .Values.replicaCount)) (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below replicaCount (%d), or no node can ever be drained." (int $min) (int .Values.replicaCount)) }}
{{- end }}
{{- end }}
{{- end }}
