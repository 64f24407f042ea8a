//go:build tools

// Package tools records the binary this module builds so `go mod tidy` keeps it.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
