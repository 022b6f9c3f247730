package service

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// run executes program under the shared recording monitor and returns what it recorded.
func run(t *testing.T, program pulumi.RunFunc) (mockmon.Records, error) {
	t.Helper()
	return mockmon.Record(program)
}
