package rollout

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// observations builds a get-health-check-status answer with the given checker statuses.
func observations(statuses ...string) string {
	regions := []string{"us-east-1", "us-west-1", "eu-west-1", "ap-southeast-1", "sa-east-1"}
	var parts []string
	for i, s := range statuses {
		parts = append(parts, fmt.Sprintf(`{"Region":%q,"IPAddress":"198.51.100.%d","StatusReport":{"Status":%q,"CheckedTime":"2026-01-01T12:00:%02d.000Z"}}`,
			regions[i%len(regions)], 10+i, s, i))
	}
	return `{"HealthCheckObservations":[` + strings.Join(parts, ",") + `]}`
}

const (
	okStatus   = "Success: HTTP Status Code 200, OK"
	failStatus = "Failure: HTTP Status Code 503, Service Unavailable"
	slowStatus = "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall."
)

func TestParseHealthCheckStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		doc          string
		wantHealthy  bool
		wantOK       int
		wantCheckers int
		wantFailures []string
		wantString   string
		wantErr      string
	}{
		{
			name: "all succeed", doc: observations(okStatus, okStatus, okStatus),
			wantHealthy: true, wantOK: 3, wantCheckers: 3, wantString: "3/3 checkers report Success",
		},
		{
			name: "majority succeeds", doc: observations(okStatus, okStatus, failStatus),
			wantHealthy: true, wantOK: 2, wantCheckers: 3, wantFailures: []string{"eu-west-1: " + failStatus},
		},
		{
			name: "half is not a majority", doc: observations(okStatus, failStatus, okStatus, failStatus),
			wantHealthy: false, wantOK: 2, wantCheckers: 4,
			wantFailures: []string{"us-west-1: " + failStatus, "ap-southeast-1: " + failStatus},
		},
		{
			name: "failures listed at most three times", doc: observations(failStatus, slowStatus, failStatus, slowStatus, failStatus, failStatus),
			wantHealthy: false, wantOK: 0, wantCheckers: 6,
			wantFailures: []string{"us-east-1: " + failStatus, "us-west-1: " + slowStatus, "eu-west-1: " + failStatus},
			wantString:   `0/6 checkers report Success (e.g. "us-east-1: ` + failStatus + `")`,
		},
		{name: "no checkers yet", doc: `{"HealthCheckObservations":[]}`, wantErr: "health check hc-1: no checker has reported yet"},
		{name: "not json", doc: `<xml/>`, wantErr: "health check hc-1: decode get-health-check-status output"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := ParseHealthCheckStatus("hc-1", []byte(tc.doc))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "hc-1", st.ID)
			assert.Equal(t, tc.wantHealthy, st.Healthy)
			assert.Equal(t, tc.wantOK, st.Succeeding)
			assert.Equal(t, tc.wantCheckers, st.Checkers)
			assert.Equal(t, tc.wantFailures, st.Failures)
			if tc.wantString != "" {
				assert.Equal(t, tc.wantString, st.String())
			}
		})
	}
}

// TestAWSCLIHealthRunsTheCLI runs a stand-in aws executable (a shell script) through the real
// exec path: arguments, the pager switch, output parsing and error classification.
func TestAWSCLIHealthRunsTheCLI(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh for the stand-in aws CLI")
	}
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	script := fmt.Sprintf(`#!/bin/sh
printf '%%s|%%s\n' "$*" "${AWS_PAGER-unset}" >> %q
case "$*" in
  *hc-good*) cat <<'EOF'
%s
EOF
  ;;
  *hc-bad*) cat <<'EOF'
%s
EOF
  ;;
  *hc-creds*) echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 253 ;;
  *hc-denied*) echo 'An error occurred (AccessDenied) when calling the GetHealthCheckStatus operation: User: arn:aws:iam::123456789012:user/ops is not authorized to perform: route53:GetHealthCheckStatus' >&2; exit 254 ;;
  *) echo 'An error occurred (NoSuchHealthCheck) when calling the GetHealthCheckStatus operation: A health check with id hc-gone does not exist.' >&2; exit 254 ;;
esac
`, argsFile, observations(okStatus, okStatus, failStatus), observations(failStatus, failStatus, okStatus))
	awsPath := filepath.Join(dir, "aws")
	require.NoError(t, os.WriteFile(awsPath, []byte(script), 0o755))

	t.Setenv("AWS_PAGER", "less")
	h, err := NewAWSCLIHealth(HealthConfig{Command: "promote", LookPath: func(file string) (string, error) {
		require.Equal(t, "aws", file)
		return awsPath, nil
	}})
	require.NoError(t, err)
	ctx := context.Background()

	st, err := h.Status(ctx, "hc-good")
	require.NoError(t, err)
	assert.True(t, st.Healthy)
	assert.Equal(t, "2/3 checkers report Success", strings.SplitN(st.String(), " (", 2)[0])

	st, err = h.Status(ctx, "hc-bad")
	require.NoError(t, err)
	assert.False(t, st.Healthy)
	assert.Equal(t, 1, st.Succeeding)

	_, err = h.Status(ctx, "hc-creds")
	var toolErr *ToolError
	require.ErrorAs(t, err, &toolErr)
	assert.Contains(t, err.Error(), "cutover promote needs the AWS CLI (aws) with usable credentials: run `aws configure` or `aws sso login`")
	assert.Contains(t, err.Error(), "Unable to locate credentials")

	_, err = h.Status(ctx, "hc-denied")
	require.ErrorAs(t, err, &toolErr)
	assert.Contains(t, err.Error(), "cutover promote needs AWS credentials allowed to call route53:GetHealthCheckStatus")

	_, err = h.Status(ctx, "hc-gone")
	require.Error(t, err)
	assert.False(t, errors.As(err, &toolErr), "a missing health check is not a setup problem")
	assert.Contains(t, err.Error(), "health check hc-gone: aws route53 get-health-check-status: An error occurred (NoSuchHealthCheck)")

	args, err := os.ReadFile(argsFile)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	require.Len(t, lines, 5)
	assert.Equal(t, "route53 get-health-check-status --health-check-id hc-good --output json|", lines[0],
		"arguments, and AWS_PAGER cleared so aws v2 does not page")
}

func TestNewAWSCLIHealthMissing(t *testing.T) {
	t.Parallel()
	_, err := NewAWSCLIHealth(HealthConfig{Command: "status", LookPath: func(string) (string, error) {
		return "", errors.New(`exec: "aws": executable file not found in $PATH`)
	}})
	var toolErr *ToolError
	require.ErrorAs(t, err, &toolErr)
	assert.Contains(t, err.Error(), "cutover status needs the AWS CLI (aws) on PATH: install it from https://docs.aws.amazon.com/cli/")
}
