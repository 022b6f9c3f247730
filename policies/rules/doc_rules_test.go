package rules

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite generated files (policies/RULES.md)")

func TestRulesDocIsCurrent(t *testing.T) {
	got, err := RulesMarkdown()
	require.NoError(t, err)
	path := filepath.Join("..", "RULES.md")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	committed, err := os.ReadFile(path)
	require.NoError(t, err, "policies/RULES.md is missing: run go test ./policies/... -update")
	assert.Equal(t, got, string(committed), "policies/RULES.md is stale: run go test ./policies/... -update")
	for _, info := range Describe() {
		assert.Contains(t, got, "`"+info.Name+"`")
	}
}
