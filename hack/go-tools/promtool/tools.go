//go:build tools

// Package tools pins the command this module exists to build (promtool, Prometheus' own rule
// checker and unit-test runner), so that `go mod tidy` keeps exactly the dependencies it needs.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
