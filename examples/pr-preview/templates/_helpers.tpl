{{- define "preview.name" -}}{{ .Values.app }}{{- end -}}
{{- define "preview.cluster" -}}
{{- default (printf "patroni-%s-pr-%v" .Values.project .Values.pr) .Values.migration.clusterName -}}
{{- end -}}
{{- define "preview.secret" -}}
{{- default (printf "%s-pr-%v-creds" .Values.project .Values.pr) .Values.migration.credentialsSecret -}}
{{- end -}}
{{- define "preview.labels" -}}
app.kubernetes.io/name: {{ .Values.app }}
app.kubernetes.io/instance: {{ .Release.Name }}
preview.dbmigration.dev/pr: {{ .Values.pr | quote }}
{{- end -}}
{{- define "preview.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}
