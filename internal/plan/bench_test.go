package plan

import (
	"encoding/json"
	"fmt"
	"testing"
)

// syntheticConfig is the production stack with n services (one public API and n-1 workers).
func syntheticConfig(b *testing.B, n int) *StackConfig {
	b.Helper()
	sc, err := ReadStackConfig(StackFilePath("../..", "production"))
	if err != nil {
		b.Fatal(err)
	}
	services := map[string]any{}
	for i := 0; i < n; i++ {
		s := map[string]any{
			"image": fmt.Sprintf("registry.example.com/acme/svc-%03d:1.0.%d", i, i), "port": 8000 + i,
			"dyno": "standard-2x", "minReplicas": 3, "maxReplicas": 6, "pool": "general",
		}
		name := fmt.Sprintf("svc-%03d", i)
		if i == 0 {
			s["public"] = true
			name = "api"
		}
		services[name] = s
	}
	text, err := json.Marshal(services)
	if err != nil {
		b.Fatal(err)
	}
	sc.Values["cutover:services"] = string(text)
	return &sc
}

func benchmarkPlan(b *testing.B, opts Options) {
	b.ReportAllocs()
	var resources int
	for b.Loop() {
		p, err := Run(opts)
		if err != nil {
			b.Fatal(err)
		}
		resources = p.Summary.Resources
	}
	b.ReportMetric(float64(resources), "resources")
}

// BenchmarkPlanProduction is the offline plan of the production sample, policy pack included.
func BenchmarkPlanProduction(b *testing.B) {
	benchmarkPlan(b, Options{Dir: "../..", Stack: "production"})
}

// BenchmarkPlanServices shows growth with the number of services (target: 200 at most 12x 20).
func BenchmarkPlanServices(b *testing.B) {
	for _, n := range []int{20, 200} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			benchmarkPlan(b, Options{Dir: "../..", Stack: "production", Config: syntheticConfig(b, n)})
		})
	}
}
