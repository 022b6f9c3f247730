package config

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/cutover-dev/cutover"
	"sigs.k8s.io/yaml"
)

// KeySpec is one flat key as declared in Pulumi.yaml.
type KeySpec struct {
	Name        string          // without namespace, e.g. awsTrafficPercent
	Type        string          // string, integer, boolean or array
	ItemsType   string          // element type of an array
	Description string          //
	Default     json.RawMessage // nil when the key has no default
	Secret      bool            //
}

// HasDefault reports whether Pulumi.yaml declares a default.
func (k KeySpec) HasDefault() bool { return k.Default != nil }

// DefaultString renders the default the way the Pulumi engine hands config to a Go program: scalars
// as their text, arrays as JSON.
func (k KeySpec) DefaultString() string {
	if k.Default == nil {
		return ""
	}
	var s string
	if json.Unmarshal(k.Default, &s) == nil {
		return s
	}
	return string(k.Default)
}

type projectFile struct {
	Name           string `json:"name"`
	Runtime        any    `json:"runtime"`
	Main           string `json:"main"`
	StackConfigDir string `json:"stackConfigDir"`
	Description    string `json:"description"`
	Config         map[string]struct {
		Type  string `json:"type"`
		Items *struct {
			Type string `json:"type"`
		} `json:"items"`
		Description string          `json:"description"`
		Default     json.RawMessage `json:"default"`
		Secret      bool            `json:"secret"`
	} `json:"config"`
}

var loadSchema = sync.OnceValues(func() ([]KeySpec, error) { return ParseSchema(cutover.ProjectFile) })

// Schema returns the flat keys declared in the embedded Pulumi.yaml, sorted by name.
func Schema() ([]KeySpec, error) { return loadSchema() }

// ParseSchema reads the config declarations of a Pulumi.yaml document.
func ParseSchema(doc []byte) ([]KeySpec, error) {
	var pf projectFile
	if err := yaml.UnmarshalStrict(doc, &pf); err != nil {
		return nil, fmt.Errorf("Pulumi.yaml: %w", err)
	}
	specs := make([]KeySpec, 0, len(pf.Config))
	for name, c := range pf.Config {
		spec := KeySpec{Name: name, Type: c.Type, Description: c.Description, Secret: c.Secret}
		if len(c.Default) > 0 && string(c.Default) != "null" {
			spec.Default = c.Default
		}
		if c.Items != nil {
			spec.ItemsType = c.Items.Type
		}
		switch spec.Type {
		case "string", "integer", "boolean":
		case "array":
			if spec.ItemsType == "" {
				return nil, fmt.Errorf("Pulumi.yaml: config %q: an array needs items.type", name)
			}
		default:
			return nil, fmt.Errorf("Pulumi.yaml: config %q: type %q is not one of string, integer, boolean, array", name, spec.Type)
		}
		if spec.Description == "" {
			return nil, fmt.Errorf("Pulumi.yaml: config %q has no description", name)
		}
		specs = append(specs, spec)
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Name < specs[j].Name })
	return specs, nil
}
