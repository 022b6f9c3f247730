package rollout

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"time"
)

// fakeStack is an in-memory stack: config, outputs, and a log of every call that changes or
// plans something. Up deploys the configured percentage into the outputs, like the program.
type fakeStack struct {
	mu      sync.Mutex
	config  map[string]string
	outputs map[string]any
	calls   []string
	// preview returns the plan for the configured percentage; nil means a weight-only plan.
	preview    func(percent string) PreviewSummary
	previewErr error
	// upErr fails the n-th call of Up (1-based) with the error.
	upErr map[int]error
	ups   int
	// upIgnoresConfig makes Up succeed without deploying the new percentage.
	upIgnoresConfig bool
}

func newFakeStack(deployed int) *fakeStack {
	return &fakeStack{
		config: map[string]string{ConfigPercentKey: strconv.Itoa(deployed)},
		outputs: map[string]any{
			OutputPercent:        float64(deployed),
			OutputAWSWeight:      float64(deployed),
			OutputHerokuWeight:   float64(100 - deployed),
			OutputHealthCheckIDs: map[string]any{"aws": "hc-aws-0001", "heroku": "hc-heroku-0002"},
		},
	}
}

func (f *fakeStack) Outputs(context.Context) (map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.outputs), nil
}

func (f *fakeStack) GetConfig(_ context.Context, key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.config[key]
	if !ok {
		return "", fmt.Errorf("fake: %s: %w", key, ErrConfigNotSet)
	}
	return v, nil
}

func (f *fakeStack) SetConfig(_ context.Context, key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "set "+key+"="+value)
	f.config[key] = value
	return nil
}

func (f *fakeStack) RemoveConfig(_ context.Context, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "remove "+key)
	delete(f.config, key)
	return nil
}

func (f *fakeStack) Preview(context.Context) (PreviewSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "preview")
	if f.previewErr != nil {
		return PreviewSummary{}, f.previewErr
	}
	if f.preview != nil {
		return f.preview(f.config[ConfigPercentKey]), nil
	}
	return weightOnlyPreview(), nil
}

func (f *fakeStack) Up(context.Context) (UpSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ups++
	f.calls = append(f.calls, "up")
	if err := f.upErr[f.ups]; err != nil {
		return UpSummary{}, err
	}
	if !f.upIgnoresConfig {
		p, err := strconv.Atoi(f.config[ConfigPercentKey])
		if err != nil {
			return UpSummary{}, fmt.Errorf("fake program: %s=%q: %w", ConfigPercentKey, f.config[ConfigPercentKey], err)
		}
		f.outputs[OutputPercent] = float64(p)
		f.outputs[OutputAWSWeight] = float64(p)
		f.outputs[OutputHerokuWeight] = float64(100 - p)
	}
	return UpSummary{Result: "succeeded", Changes: map[string]int{"same": 40, "update": 3}, Outputs: maps.Clone(f.outputs)}, nil
}

func (f *fakeStack) snapshot() (calls []string, percent string, set bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	percent, set = f.config[ConfigPercentKey]
	return append([]string(nil), f.calls...), percent, set
}

func weightOnlyPreview() PreviewSummary {
	weight := []string{"weightedRoutingPolicies[0].weight"}
	return PreviewSummary{Steps: []PreviewStep{
		{URN: urnStack, Type: TypeStack, Op: "same"},
		{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "same"},
		{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: weight},
		{URN: urnRecordHk, Type: TypeRecord, Op: "update", ChangedPaths: weight},
		{URN: urnFormation, Type: TypeFormation, Op: "update", ChangedPaths: []string{"quantity"}},
	}}
}

// previewWith returns a weight-only plan plus extra steps.
func previewWith(extra ...PreviewStep) func(string) PreviewSummary {
	return func(string) PreviewSummary {
		sum := weightOnlyPreview()
		sum.Steps = append(sum.Steps, extra...)
		return sum
	}
}

// fakeHealth answers per health check ID and call number (0 is the preflight read).
type fakeHealth struct {
	mu    sync.Mutex
	calls map[string]int
	fn    func(id string, call int) (HealthStatus, error)
}

func (h *fakeHealth) Status(_ context.Context, id string) (HealthStatus, error) {
	h.mu.Lock()
	if h.calls == nil {
		h.calls = map[string]int{}
	}
	call := h.calls[id]
	h.calls[id]++
	h.mu.Unlock()
	if h.fn == nil {
		return healthy(id), nil
	}
	return h.fn(id, call)
}

func healthy(id string) HealthStatus {
	return HealthStatus{ID: id, Checkers: 16, Succeeding: 16, Healthy: true}
}

func unhealthy(id string) HealthStatus {
	return HealthStatus{ID: id, Checkers: 16, Succeeding: 3, Healthy: false,
		Failures: []string{"eu-west-1: Failure: HTTP Status Code 503, Service Unavailable"}}
}

// fakeMetrics answers per query and call number (0 is the preflight read).
type fakeMetrics struct {
	mu    sync.Mutex
	calls map[string]int
	fn    func(query string, call int) (float64, error)
}

func (m *fakeMetrics) Query(_ context.Context, q string) (float64, error) {
	m.mu.Lock()
	if m.calls == nil {
		m.calls = map[string]int{}
	}
	call := m.calls[q]
	m.calls[q]++
	m.mu.Unlock()
	if m.fn == nil {
		return goodFigure(q), nil
	}
	return m.fn(q, call)
}

func goodFigure(q string) float64 {
	if q == QueryLatencyP99 {
		return 0.231
	}
	return 0.0031
}

// fakeClock advances only when slept on; cancelAt makes the n-th sleep (1-based) fail as if
// the operator pressed Ctrl-C.
type fakeClock struct {
	mu       sync.Mutex
	now      time.Time
	sleeps   []time.Duration
	cancelAt int
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if c.cancelAt > 0 && len(c.sleeps) == c.cancelAt {
		return context.Canceled
	}
	c.now = c.now.Add(d)
	return nil
}
