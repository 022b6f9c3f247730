package rollout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testExporter serves Prometheus exposition text with a gauge the test sets and a request
// counter that grows by 100 per scrape, 2 of them 5xx: a 5xx ratio of exactly 0.02.
type testExporter struct {
	mu      sync.Mutex
	aws     float64
	heroku  float64
	scrapes int
}

func (e *testExporter) set(aws float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.aws = aws
}

func (e *testExporter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/metrics" {
		http.NotFound(w, r)
		return
	}
	e.mu.Lock()
	e.scrapes++
	n, aws, heroku := e.scrapes, e.aws, e.heroku
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# HELP cutover_test_gauge A gauge the test controls.\n# TYPE cutover_test_gauge gauge\n")
	fmt.Fprintf(w, "cutover_test_gauge{side=\"aws\"} %s\n", strconv.FormatFloat(aws, 'g', -1, 64))
	fmt.Fprintf(w, "cutover_test_gauge{side=\"heroku\"} %s\n", strconv.FormatFloat(heroku, 'g', -1, 64))
	fmt.Fprintf(w, "# HELP cutover_test_requests_total Requests served.\n# TYPE cutover_test_requests_total counter\n")
	fmt.Fprintf(w, "cutover_test_requests_total{code=\"200\"} %d\n", 98*n)
	fmt.Fprintf(w, "cutover_test_requests_total{code=\"503\"} %d\n", 2*n)
}

// syncBuffer collects the server's log from the exec goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// startPrometheus runs a real Prometheus scraping target every second, with the gate's 5xx
// recording rule, and returns its base URL once it is ready. It is killed when the test ends.
func startPrometheus(ctx context.Context, t *testing.T, bin, target string) string {
	t.Helper()
	dir := t.TempDir()
	rules := filepath.Join(dir, "rules.yml")
	require.NoError(t, os.WriteFile(rules, []byte(`groups:
  - name: cutover-test
    interval: 1s
    rules:
      - record: `+Query5xxRatio+`
        expr: sum(rate(cutover_test_requests_total{code=~"5.."}[5m])) / sum(rate(cutover_test_requests_total[5m]))
`), 0o644))
	config := filepath.Join(dir, "prometheus.yml")
	require.NoError(t, os.WriteFile(config, []byte(fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - %q
scrape_configs:
  - job_name: cutover-test
    static_configs:
      - targets: [%q]
`, rules, target)), 0o644))

	port := freeLoopbackPort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	var logs syncBuffer
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+config,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--log.level=warn",
	)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.WaitDelay = 5 * time.Second
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Errorf("prometheus (pid %d) did not exit after kill", cmd.Process.Pid)
		}
		if t.Failed() {
			t.Logf("prometheus log:\n%s", logs.String())
		}
	})

	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/-/ready", nil)
		require.NoError(t, err)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("prometheus exited before it was ready: %v\n%s", err, logs.String())
		case <-ctx.Done():
			t.Fatalf("prometheus not ready at %s: %v\n%s", base, ctx.Err(), logs.String())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitForValue polls query until it returns want (or, when want is NaN, any value).
func waitForValue(ctx context.Context, t *testing.T, p *Prometheus, query string, want float64) float64 {
	t.Helper()
	var lastErr error
	var last float64
	for {
		v, err := p.Query(ctx, query)
		if err == nil && (math.IsNaN(want) || math.Abs(v-want) < 1e-9) {
			return v
		}
		last, lastErr = v, err
		select {
		case <-ctx.Done():
			t.Fatalf("query %q never returned %v: last %v, %v", query, want, last, lastErr)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// TestPrometheusAgainstRealServer starts the Debian prometheus binary against an exporter
// served on loopback and checks Query and the metric gate against what it computes.
func TestPrometheusAgainstRealServer(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus not installed: apt-get install prometheus")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	exporter := &testExporter{aws: 0.0125, heroku: 0.031}
	srv := httptest.NewServer(exporter)
	t.Cleanup(srv.Close)
	target := srv.Listener.Addr().String()

	base := startPrometheus(ctx, t, bin, target)
	p, err := NewPrometheus(base, nil)
	require.NoError(t, err)

	// First scrape.
	waitForValue(ctx, t, p, `cutover_test_gauge{side="aws"}`, 0.0125)

	v, err := p.Query(ctx, "cutover_test_gauge")
	require.NoError(t, err)
	assert.Equal(t, 0.031, v, "two series: the larger one counts")

	v, err = p.Query(ctx, `scalar(cutover_test_gauge{side="aws"}) * 2`)
	require.NoError(t, err)
	assert.Equal(t, 0.025, v, "scalar result")

	_, err = p.Query(ctx, `cutover_test_gauge{side="nowhere"}`)
	assert.True(t, errors.Is(err, ErrNoData), "empty vector: %v", err)

	_, err = p.Query(ctx, `cutover_test_gauge{side="aws"} * 0 / 0`)
	assert.True(t, errors.Is(err, ErrNoData), "NaN (a ratio of zero rates): %v", err)

	_, err = p.Query(ctx, "sum(")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `prometheus query "sum(": bad_data`)

	// The gauge moves and the next scrape shows it.
	exporter.set(0.5)
	waitForValue(ctx, t, p, `cutover_test_gauge{side="aws"}`, 0.5)

	// The recording rule under the gate's default name: 2 of every 100 requests fail.
	ratio := waitForValue(ctx, t, p, Query5xxRatio, math.NaN())
	assert.InDelta(t, 0.02, ratio, 1e-9)
	rs := observe(ctx, nil, p, nil, DefaultMetricGates()[:1])
	require.Len(t, rs, 1)
	assert.True(t, rs[0].failed)
	assert.Equal(t, "gate 5xx ratio 0.0200 > 0.0100 FAIL", rs[0].line)
}
