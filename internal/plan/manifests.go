package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Manifest is one Kubernetes object as the program declared it.
type Manifest struct {
	File   string // relative path under the manifests directory
	Object map[string]any
}

// Manifests returns the plan's Kubernetes objects (not Helm releases or providers) as manifests.
func (p *Plan) Manifests() []Manifest {
	var out []Manifest
	for _, r := range p.Resources {
		apiVersion, kind, ok := kubernetesKind(r.Type)
		if !ok {
			continue
		}
		obj := map[string]any{}
		for k, v := range r.Inputs {
			obj[k] = v
		}
		obj["apiVersion"], obj["kind"] = apiVersion, kind
		ns, name := "", r.Name
		if md, ok := obj["metadata"].(map[string]any); ok {
			if s, ok := md["namespace"].(string); ok {
				ns = s
			}
			if s, ok := md["name"].(string); ok {
				name = s
			}
		}
		file := strings.ToLower(kind) + "-" + name + ".yaml"
		if ns != "" {
			file = ns + "/" + file
		}
		out = append(out, Manifest{File: file, Object: obj})
	}
	return out
}

// kubernetesKind maps a Kubernetes type token to apiVersion and kind; Helm releases, providers and
// the kustomize/yaml helpers are not objects.
func kubernetesKind(token string) (apiVersion, kind string, ok bool) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" {
		return "", "", false
	}
	group := parts[1]
	if strings.HasPrefix(group, "helm.sh/") || strings.HasPrefix(group, "yaml/") || strings.HasPrefix(group, "kustomize") {
		return "", "", false
	}
	apiVersion = strings.TrimPrefix(group, "core/")
	return apiVersion, parts[2], true
}

// WriteOut writes plan.json and one YAML file per Kubernetes object under dir/manifests.
func (p *Plan) WriteOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", dir, err)
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	manifests := filepath.Join(dir, "manifests")
	if err := os.RemoveAll(manifests); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	for _, m := range p.Manifests() {
		y, err := yaml.Marshal(m.Object)
		if err != nil {
			return fmt.Errorf("manifest %s: %w", m.File, err)
		}
		path := filepath.Join(manifests, m.File)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := os.WriteFile(path, y, 0o644); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	return nil
}
