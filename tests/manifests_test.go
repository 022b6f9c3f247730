package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cutover-dev/cutover/internal/plan"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	"sigs.k8s.io/yaml"
)

// k8sTypes maps apiVersion/kind to the k8s.io/api type a manifest must decode into.
var k8sTypes = map[string]func() any{
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"networking.k8s.io/v1/NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"storage.k8s.io/v1/StorageClass":         func() any { return &storagev1.StorageClass{} },
}

// customResources are kinds with no k8s.io/api type (their CRDs come from a chart); their shape is
// checked by the monitoring component's own tests.
var customResources = map[string]bool{
	"monitoring.coreos.com/v1/ServiceMonitor": true,
	"monitoring.coreos.com/v1/PrometheusRule": true,
}

// `cutover plan --out` writes one YAML manifest per Kubernetes object, and every one decodes
// strictly into its k8s.io/api type: a misspelt field fails here, offline, not at apply time.
func TestManifestsDecodeStrictly(t *testing.T) {
	for _, stack := range stacks(t) {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			p := planStack(t, stack, plan.Options{SkipPolicies: true})
			dir := t.TempDir()
			if err := p.WriteOut(dir); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "plan.json")); err != nil {
				t.Fatalf("plan.json not written: %v", err)
			}
			decoded := 0
			err := filepath.WalkDir(filepath.Join(dir, "manifests"), func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				var head struct {
					APIVersion string `json:"apiVersion"`
					Kind       string `json:"kind"`
				}
				if err := yaml.Unmarshal(data, &head); err != nil {
					t.Errorf("%s: %v", path, err)
					return nil
				}
				key := head.APIVersion + "/" + head.Kind
				if customResources[key] {
					return nil
				}
				newObj, ok := k8sTypes[key]
				if !ok {
					t.Errorf("%s: no k8s.io/api type known for %s: add it to k8sTypes", path, key)
					return nil
				}
				if err := yaml.UnmarshalStrict(data, newObj()); err != nil {
					t.Errorf("%s (%s) does not decode strictly: %v", strings.TrimPrefix(path, dir), key, err)
				}
				decoded++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			cfgServices := 0
			for _, r := range p.Resources {
				if r.Type == "cutover:service:Service" {
					cfgServices++
				}
			}
			// Per service: Deployment, Service, ServiceAccount, HPA, PDB, NetworkPolicy.
			if min := cfgServices * 6; decoded < min {
				t.Fatalf("decoded %d manifests, want at least %d for %d services", decoded, min, cfgServices)
			}
		})
	}
}
