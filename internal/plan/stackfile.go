package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cutover-dev/cutover"
	"github.com/cutover-dev/cutover/infra/config"
	"sigs.k8s.io/yaml"
)

// UsageError is a problem with the command line or the stack file (exit code 2), as opposed to an
// invalid config value, which is a *config.Error.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, args ...any) error { return &UsageError{Err: fmt.Errorf(format, args...)} }

// SecretPlaceholder stands in for every secret value: the plan never decrypts secrets.
const SecretPlaceholder = "[secret]"

// StackConfig is a stack's config as the Pulumi engine hands it to a program: full keys, scalars as
// text, arrays and objects as JSON text, secrets listed separately.
type StackConfig struct {
	Values  map[string]string
	Secrets map[string]bool
}

// stackFile is the part of Pulumi.<stack>.yaml that the plan reads.
type stackFile struct {
	EncryptionSalt  string         `json:"encryptionsalt"`
	SecretsProvider string         `json:"secretsprovider"`
	EncryptedKey    string         `json:"encryptedkey"`
	Config          map[string]any `json:"config"`
	Environment     any            `json:"environment"`
}

// StackFilePath is where a stack's config lives: <dir>/stacks/Pulumi.<stack>.yaml.
func StackFilePath(dir, stack string) string {
	return filepath.Join(dir, "stacks", "Pulumi."+stack+".yaml")
}

// ReadStackConfig reads a stack file and converts it to the engine's form.
func ReadStackConfig(path string) (StackConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return StackConfig{}, usagef("stack file %s does not exist: pass --stack with one of the stacks under stacks/, or --config-file", path)
		}
		return StackConfig{}, usagef("read stack file: %v", err)
	}
	var sf stackFile
	if err := yaml.UnmarshalStrict(data, &sf); err != nil {
		return StackConfig{}, usagef("stack file %s: %v", path, err)
	}
	sc := StackConfig{Values: map[string]string{}, Secrets: map[string]bool{}}
	for key, v := range sf.Config {
		if !strings.Contains(key, ":") {
			key = cutover.Namespace + ":" + key
		}
		if m, ok := v.(map[string]any); ok && len(m) == 1 {
			if _, secure := m["secure"]; secure {
				sc.Values[key] = SecretPlaceholder
				sc.Secrets[key] = true
				continue
			}
		}
		text, err := engineText(v)
		if err != nil {
			return StackConfig{}, usagef("stack file %s: %s: %v", path, key, err)
		}
		sc.Values[key] = text
	}
	return sc, nil
}

// engineText renders a config value the way the engine passes it to a Go program.
func engineText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case nil:
		return "", nil
	case bool, float64:
		b, err := json.Marshal(x)
		return string(b), err
	default:
		b, err := json.Marshal(x)
		return string(b), err
	}
}

// ApplySets applies --set key=value overrides. A key without a namespace is a cutover key. The value
// is taken as JSON when it parses as JSON (numbers, booleans, lists, objects), else as a string.
func (sc *StackConfig) ApplySets(sets []string) error {
	for _, set := range sets {
		key, value, ok := strings.Cut(set, "=")
		if !ok || key == "" {
			return usagef("--set %q: expected key=value, e.g. --set cutover:awsTrafficPercent=50", set)
		}
		if !strings.Contains(key, ":") {
			key = cutover.Namespace + ":" + key
		}
		text := value
		var parsed any
		if json.Unmarshal([]byte(value), &parsed) == nil {
			t, err := engineText(parsed)
			if err != nil {
				return usagef("--set %s: %v", key, err)
			}
			text = t
		}
		sc.Values[key] = text
		delete(sc.Secrets, key)
	}
	return nil
}

// CheckKeys refuses cutover keys that the program does not know, naming the closest known key: a
// typo would otherwise silently fall back to a default.
func (sc StackConfig) CheckKeys() error {
	schema, err := config.Schema()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, s := range schema {
		known[s.Name] = true
	}
	for _, k := range config.ObjectKeys {
		known[k] = true
	}
	var problems []string
	for _, key := range slices.Sorted(maps.Keys(sc.Values)) {
		name, ok := strings.CutPrefix(key, cutover.Namespace+":")
		if !ok || known[name] {
			continue
		}
		msg := fmt.Sprintf("unknown config key %s", key)
		if near := closest(name, known); near != "" {
			msg += fmt.Sprintf(": did you mean %s:%s?", cutover.Namespace, near)
		}
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return usagef("%s", strings.Join(problems, "\n"))
	}
	return nil
}

// Effective returns the values with Pulumi.yaml defaults filled in for missing keys, as the engine
// does before the program runs.
func (sc StackConfig) Effective() (map[string]string, error) {
	schema, err := config.Schema()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(sc.Values)+len(schema))
	for k, v := range sc.Values {
		out[k] = v
	}
	for _, s := range schema {
		key := cutover.Namespace + ":" + s.Name
		if _, ok := out[key]; !ok && s.HasDefault() {
			out[key] = s.DefaultString()
		}
	}
	return out, nil
}

// closest returns the known key with the smallest edit distance to name, if it is close enough to be
// a plausible typo.
func closest(name string, known map[string]bool) string {
	best, bestDist := "", len(name)/3+2
	for _, k := range slices.Sorted(maps.Keys(known)) {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
