{{/* The chart's name, or nameOverride; 63 characters at most (a label value's limit). */}}
{{- define "scalableapp-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of the release's objects: the release name when it already contains the chart's
name (helm install scalableapp-operator ...), else <release>-<chart>.
*/}}
{{- define "scalableapp-operator.fullname" -}}
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

{{- define "scalableapp-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "scalableapp-operator.labels" -}}
helm.sh/chart: {{ include "scalableapp-operator.chart" . }}
{{ include "scalableapp-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: scalableapp
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The labels the Deployment, Service and ServiceMonitor select the pods by; never change. */}}
{{- define "scalableapp-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "scalableapp-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "scalableapp-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "scalableapp-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "scalableapp-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
"true" when leader election is on: asked for, or more than one replica (two active operators
would act on the same AWS resources at once).
*/}}
{{- define "scalableapp-operator.leaderElection" -}}
{{- if or .Values.leaderElection (gt (int .Values.replicas) 1) }}true{{ else }}false{{ end }}
{{- end }}

{{/* The operator's lease name: fixed in the operator (OperatorConfig.LEASE_NAME). */}}
{{- define "scalableapp-operator.leaseName" -}}
scalableapp-operator
{{- end }}

{{/*
The RBAC rules on ScalableApps and their events, the same for the ClusterRole (all namespaces)
and each namespaced Role (watchNamespaces): read and watch apps, patch them (finalizer) and their
status, set the finalizer (finalizers subresource: needed where OwnerReferencesPermissionEnforcement
is on) and record events. Nothing else: the operator creates no Kubernetes objects.
*/}}
{{- define "scalableapp-operator.appRules" -}}
- apiGroups: ["scalableapp.io"]
  resources: ["scalableapps"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["scalableapp.io"]
  resources: ["scalableapps/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["scalableapp.io"]
  resources: ["scalableapps/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
