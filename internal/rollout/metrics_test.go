package rollout

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPrometheusQueryDecoding serves canned API answers; the real server is exercised in
// prometheus_test.go.
func TestPrometheusQueryDecoding(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		status  int
		body    string
		want    float64
		wantErr string
		noData  bool
	}{
		{
			name: "vector of one", status: 200,
			body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1767268800.5,"0.0031"]}]}}`,
			want: 0.0031,
		},
		{
			name: "vector takes the worst series", status: 200,
			body: `{"status":"success","data":{"resultType":"vector","result":[
				{"metric":{"service":"api","zone":"a"},"value":[1767268800,"0.002"]},
				{"metric":{"service":"api","zone":"b"},"value":[1767268800,"0.013"]},
				{"metric":{"service":"api","zone":"c"},"value":[1767268800,"NaN"]}]}}`,
			want: 0.013,
		},
		{
			name: "scalar", status: 200,
			body: `{"status":"success","data":{"resultType":"scalar","result":[1767268800,"0.25"]}}`,
			want: 0.25,
		},
		{
			name: "+Inf is a figure", status: 200,
			body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1767268800,"+Inf"]}]}}`,
			want: math.Inf(1),
		},
		{
			name: "empty vector", status: 200,
			body:   `{"status":"success","data":{"resultType":"vector","result":[]}}`,
			noData: true,
		},
		{
			name: "NaN only", status: 200,
			body:   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1767268800,"NaN"]}]}}`,
			noData: true,
		},
		{
			name: "api error", status: 400,
			body:    `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"}`,
			wantErr: `prometheus query "sum(": bad_data: invalid parameter "query"`,
		},
		{
			name: "matrix refused", status: 200,
			body:    `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
			wantErr: `result type "matrix" is not supported`,
		},
		{
			name: "not the API", status: 502,
			body:    `<html>Bad Gateway</html>`,
			wantErr: "HTTP 502, not an API response: <html>Bad Gateway</html>",
		},
		{
			name: "value not a number", status: 200,
			body:    `{"status":"success","data":{"resultType":"scalar","result":[1767268800,"fast"]}}`,
			wantErr: `sample value "fast" is not a number`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var gotPath, gotQuery string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPath, gotQuery = r.URL.Path, r.URL.Query().Get("query")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			p, err := NewPrometheus(srv.URL+"/prom", nil)
			require.NoError(t, err)
			query := Query5xxRatio
			if tc.status == 400 {
				query = "sum("
			}
			v, err := p.Query(context.Background(), query)
			assert.Equal(t, "/prom/api/v1/query", gotPath, "path prefix kept")
			assert.Equal(t, query, gotQuery)
			switch {
			case tc.noData:
				assert.True(t, errors.Is(err, ErrNoData), "want ErrNoData, got %v", err)
			case tc.wantErr != "":
				require.ErrorContains(t, err, tc.wantErr)
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want, v)
			}
		})
	}
}

func TestNewPrometheusURL(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "localhost:9090", "ftp://prometheus.example", "http://", "://x"} {
		_, err := NewPrometheus(bad, nil)
		assert.ErrorContains(t, err, "is not valid: must be http(s)://host[:port][/prefix]", "url %q", bad)
	}
	_, err := NewPrometheus("https://prometheus.example:9443/", nil)
	assert.NoError(t, err)
}

func TestPrometheusUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	p, err := NewPrometheus(url, &http.Client{Timeout: 2 * time.Second})
	require.NoError(t, err)
	_, err = p.Query(context.Background(), "up")
	require.ErrorContains(t, err, "prometheus at "+url+" is not reachable (set --prometheus-url or CUTOVER_PROMETHEUS_URL")
}
