package rollout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MetricsSource evaluates an instant PromQL query to one number.
type MetricsSource interface {
	Query(ctx context.Context, promQL string) (float64, error)
}

// ErrNoData is returned (wrapped) when a query has no value: an empty result, or NaN, which is
// what a ratio of two zero rates gives while a side serves no traffic.
var ErrNoData = errors.New("no data")

// Prometheus queries the Prometheus HTTP API (/api/v1/query) with net/http.
type Prometheus struct {
	base   *url.URL
	client *http.Client
}

// DefaultPrometheusURL is where `kubectl port-forward` to the monitoring stack's Prometheus
// service usually puts it.
const DefaultPrometheusURL = "http://localhost:9090"

// NewPrometheus validates baseURL (scheme and host, optional path prefix). A nil client gets a
// 15 second timeout so an unreachable server cannot stall a soak.
func NewPrometheus(baseURL string, client *http.Client) (*Prometheus, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("prometheus URL %q is not valid: must be http(s)://host[:port][/prefix]", baseURL)
	}
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	return &Prometheus{base: u, client: client}, nil
}

// promResponse is the envelope of every Prometheus API answer.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// Query runs an instant query at the server's current time. A vector with several series
// yields the largest value: the gates compare against a maximum, so the worst series decides.
func (p *Prometheus) Query(ctx context.Context, promQL string) (float64, error) {
	endpoint := p.base.JoinPath("api", "v1", "query")
	endpoint.RawQuery = url.Values{"query": {promQL}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint.String(), nil)
	if err != nil {
		return 0, fmt.Errorf("prometheus query %q: %w", promQL, err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("prometheus at %s is not reachable (set --prometheus-url or CUTOVER_PROMETHEUS_URL, e.g. to a kubectl port-forward): %w", p.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return 0, fmt.Errorf("prometheus query %q: read response: %w", promQL, err)
	}
	var pr promResponse
	if err := json.Unmarshal(body, &pr); err != nil {
		return 0, fmt.Errorf("prometheus query %q: HTTP %d, not an API response: %.200s", promQL, resp.StatusCode, body)
	}
	if pr.Status != "success" {
		return 0, fmt.Errorf("prometheus query %q: %s: %s", promQL, pr.ErrorType, pr.Error)
	}
	v, err := decodeInstant(pr.Data.ResultType, pr.Data.Result)
	if err != nil {
		return 0, fmt.Errorf("prometheus query %q: %w", promQL, err)
	}
	return v, nil
}

// decodeInstant reduces an instant-query result to one number.
func decodeInstant(resultType string, raw json.RawMessage) (float64, error) {
	switch resultType {
	case "scalar":
		var sample []any
		if err := json.Unmarshal(raw, &sample); err != nil {
			return 0, fmt.Errorf("decode scalar: %w", err)
		}
		return sampleValue(sample)
	case "vector":
		var series []struct {
			Value []any `json:"value"`
		}
		if err := json.Unmarshal(raw, &series); err != nil {
			return 0, fmt.Errorf("decode vector: %w", err)
		}
		worst, found := 0.0, false
		for _, s := range series {
			v, err := sampleValue(s.Value)
			if errors.Is(err, ErrNoData) {
				continue
			}
			if err != nil {
				return 0, err
			}
			if !found || v > worst {
				worst, found = v, true
			}
		}
		if !found {
			return 0, ErrNoData
		}
		return worst, nil
	default:
		return 0, fmt.Errorf("result type %q is not supported: the query must return an instant vector or a scalar", resultType)
	}
}

// sampleValue decodes a [timestamp, "value"] pair. Prometheus encodes values as strings so
// that NaN and ±Inf survive JSON; +Inf is kept (a p99 in the +Inf bucket is a real, failing
// figure), NaN is no data.
func sampleValue(sample []any) (float64, error) {
	if len(sample) != 2 {
		return 0, fmt.Errorf("sample %v is not a [timestamp, value] pair", sample)
	}
	s, ok := sample[1].(string)
	if !ok {
		return 0, fmt.Errorf("sample value %v is not a string", sample[1])
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("sample value %q is not a number: %w", s, err)
	}
	if math.IsNaN(v) {
		return 0, ErrNoData
	}
	return v, nil
}
