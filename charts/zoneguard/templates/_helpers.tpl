{{- define "zoneguard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "zoneguard.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "zoneguard.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "zoneguard.serviceAccountName" -}}
{{- default (include "zoneguard.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- /* The namespaces of config.schedules, each once, as a JSON list. */ -}}
{{- define "zoneguard.workloadNamespaces" -}}
{{- $nss := list -}}
{{- range .Values.config.schedules -}}
{{- $nss = append $nss (required "config.schedules[].namespace is required" .namespace) -}}
{{- end -}}
{{- toJson ($nss | uniq) -}}
{{- end -}}

{{- /* true when a schedule runs drills (drillCron): their permissions are granted only then. */ -}}
{{- define "zoneguard.drills" -}}
{{- range .Values.config.schedules -}}{{- if .drillCron -}}true{{- end -}}{{- end -}}
{{- end -}}

{{- /*
What one namespace's schedules need, as JSON {"features": [...], "secrets": [...]}: "exec" when a
schedule there dumps via exec; the Secret names of its passwordSecret fields ("secret/key").
Called with (dict "root" $ "namespace" NS); NS "" means every namespace (rbac.clusterScope).
*/ -}}
{{- define "zoneguard.namespaceNeeds" -}}
{{- $features := list "core" -}}
{{- $secrets := list -}}
{{- range .root.Values.config.schedules -}}
{{- if or (eq $.namespace "") (eq .namespace $.namespace) -}}
{{- if and .database (eq (toString .database.via) "exec") -}}{{- $features = append $features "exec" -}}{{- end -}}
{{- range $db := list .database .drill -}}
{{- if and $db $db.passwordSecret -}}{{- $secrets = append $secrets (first (splitList "/" $db.passwordSecret)) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if include "zoneguard.drills" .root -}}{{- $features = append $features "drill" -}}{{- end -}}
{{- toJson (dict "features" ($features | uniq) "secrets" ($secrets | uniq | sortAlpha)) -}}
{{- end -}}

{{- /*
RBAC rules from files/permissions.json (generated from KubePermissions.java) whose scope is in
.scopes and feature in .features; Secrets only by .secrets names, and not at all without names.
*/ -}}
{{- define "zoneguard.rules" -}}
{{- $perms := .root.Files.Get "files/permissions.json" | fromJson -}}
{{- range $perms.rules -}}
{{- if and (has .scope $.scopes) (has .feature $.features) -}}
{{- if ne .resource "secrets" }}
  # {{ .why }}
  - apiGroups: [{{ .apiGroup | quote }}]
    resources: [{{ .resource | quote }}]
    verbs: {{ toJson .verbs }}
{{- else if $.secrets }}
  # {{ .why }}
  - apiGroups: [{{ .apiGroup | quote }}]
    resources: ["secrets"]
    resourceNames: {{ toJson $.secrets }}
    verbs: {{ toJson .verbs }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "zoneguard.subject" -}}
- kind: ServiceAccount
  name: {{ include "zoneguard.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end -}}

{{- define "zoneguard.testLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
{{- end -}}
