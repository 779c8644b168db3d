{{/* The release's objects are named after it: "<release>-database-migration-operator", or the
release name alone when it already contains the chart's name. 63 characters at most. */}}
{{- define "dmo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dmo.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dmo.labels" -}}
{{ include "dmo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "dmo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dmo.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Leader election, which more than one operator pod requires. */}}
{{- define "dmo.leaderElection" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) -}}
{{- fail "replicas > 1 needs leaderElection.enabled=true: without a Lease every pod would make Jobs" -}}
{{- end -}}
{{- if .Values.leaderElection.enabled -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/* What the operator may do in a watched namespace (or, as a ClusterRole, in all of them).
The same rules as deploy/rbac.yaml, which gives the reason for each; InstallRbacTest fails when
the two differ. */}}
{{- define "dmo.rules" -}}
# patch: only to take off the finalizer operators before 0.2 put on resources.
- apiGroups: [dbmigration.dev]
  resources: [databasemigrations]
  verbs: [get, list, watch, patch]
- apiGroups: [dbmigration.dev]
  resources: [databasemigrations/status]
  verbs: [get, update]
# Setting blockOwnerDeletion on a Job's owner reference needs this where the
# OwnerReferencesPermissionEnforcement admission plugin is on (OpenShift).
- apiGroups: [dbmigration.dev]
  resources: [databasemigrations/finalizers]
  verbs: [update]
# create only, never update; delete: ends a run whose pod cannot start (PodNotStarting), so
# it stops holding its database. A deleted resource's Jobs go through the garbage collector.
- apiGroups: [batch]
  resources: [jobs]
  verbs: [list, watch, create, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
# A history run's output, when the pod has no termination message to read it from.
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# The informer (list, watch) keeps key names only; get reads a credentials Secret when used.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch]
# ConfigMaps: a run's plan (spec.plan), one per resource, replaced by the next; and
# spec.database.tls.ca's CA bundle, read when the database is checked. No informer.
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, create, update]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
# imageFrom: the image of the Deployment or StatefulSet a resource follows.
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [list, watch]
{{- end -}}

{{- /* Cluster-scoped, so never in a namespaced Role: the operator compares the installed CRD with
the one it was built with, and a stale one fails its readiness. Without the grant it works and
warns that it could not check. */}}
{{- define "dmo.crdCheckRule" -}}
# Its own CRD only: a stale one would let in what the operator relies on the API server to refuse.
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames: [databasemigrations.dbmigration.dev]
  verbs: [get]
{{- end -}}
