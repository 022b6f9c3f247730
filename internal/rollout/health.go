package rollout

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// HealthSource reports the state of a Route53 health check.
type HealthSource interface {
	Status(ctx context.Context, healthCheckID string) (HealthStatus, error)
}

// HealthStatus is one reading of a health check across Route53's checkers.
type HealthStatus struct {
	ID string
	// Checkers is the number of health checkers that reported; Succeeding of them said Success.
	Checkers   int
	Succeeding int
	// Healthy is true when a strict majority of checkers report Success. Route53 itself keeps
	// an endpoint in DNS answers while more than 18% of checkers see it healthy; the gate is
	// stricter on purpose, because a promotion should only stand on a side most of the world
	// can reach.
	Healthy bool
	// Failures holds up to three distinct failure reports, for the log.
	Failures []string
}

func (h HealthStatus) String() string {
	s := fmt.Sprintf("%d/%d checkers report Success", h.Succeeding, h.Checkers)
	if len(h.Failures) > 0 {
		s += fmt.Sprintf(" (e.g. %q)", h.Failures[0])
	}
	return s
}

// healthCheckStatusDoc is the part of `aws route53 get-health-check-status --output json` the
// gate reads.
type healthCheckStatusDoc struct {
	HealthCheckObservations []struct {
		Region       string `json:"Region"`
		IPAddress    string `json:"IPAddress"`
		StatusReport struct {
			Status      string `json:"Status"`
			CheckedTime string `json:"CheckedTime"`
		} `json:"StatusReport"`
	} `json:"HealthCheckObservations"`
}

// ParseHealthCheckStatus decodes the aws CLI's JSON for one health check. A report with no
// observations is an error rather than "unhealthy": a health check created a minute ago has
// no checker reports yet, which says nothing about the endpoint.
func ParseHealthCheckStatus(id string, data []byte) (HealthStatus, error) {
	var doc healthCheckStatusDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return HealthStatus{}, fmt.Errorf("health check %s: decode get-health-check-status output: %w", id, err)
	}
	st := HealthStatus{ID: id, Checkers: len(doc.HealthCheckObservations)}
	if st.Checkers == 0 {
		return HealthStatus{}, fmt.Errorf("health check %s: no checker has reported yet", id)
	}
	for _, obs := range doc.HealthCheckObservations {
		status := obs.StatusReport.Status
		if strings.HasPrefix(status, "Success") {
			st.Succeeding++
			continue
		}
		report := fmt.Sprintf("%s: %s", obs.Region, status)
		if len(st.Failures) < 3 && !slices.Contains(st.Failures, report) {
			st.Failures = append(st.Failures, report)
		}
	}
	st.Healthy = st.Succeeding*2 > st.Checkers
	return st, nil
}

// CommandFunc runs a program and returns its stdout and stderr; injectable for tests.
type CommandFunc func(ctx context.Context, path string, args ...string) (stdout, stderr []byte, err error)

func runCommand(ctx context.Context, path string, args ...string) ([]byte, []byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	// The aws CLI v2 pipes output through a pager unless told otherwise; v1 has no
	// --no-cli-pager flag, so the environment is the way that works with both.
	cmd.Env = append(os.Environ(), "AWS_PAGER=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), stderr.Bytes(), err
}

// AWSCLIHealth reads health checks with the aws CLI, so it uses whatever profile, SSO session
// or environment credentials the operator already has. GetHealthCheckStatus is meant for
// diagnosis, not high query rates; two checks every poll interval is well within that.
type AWSCLIHealth struct {
	command string
	path    string
	run     CommandFunc
}

// HealthConfig configures NewAWSCLIHealth.
type HealthConfig struct {
	// Command is the cutover subcommand, named in error messages.
	Command string
	// LookPath finds the aws binary; nil means exec.LookPath.
	LookPath LookPathFunc
	// Run runs it; nil runs it for real.
	Run CommandFunc
}

// NewAWSCLIHealth returns a ToolError when the aws CLI is not on PATH.
func NewAWSCLIHealth(cfg HealthConfig) (*AWSCLIHealth, error) {
	lookPath := cfg.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	path, err := lookPath("aws")
	if err != nil {
		return nil, &ToolError{
			Command: cfg.Command,
			Tool:    "the AWS CLI (aws)",
			Problem: "on PATH",
			Hint:    "install it from https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html and configure credentials that may call route53:GetHealthCheckStatus",
			Err:     err,
		}
	}
	run := cfg.Run
	if run == nil {
		run = runCommand
	}
	return &AWSCLIHealth{command: cfg.Command, path: path, run: run}, nil
}

// credentialMarkers are fragments of aws CLI errors that mean the operator's setup, not the
// health check, is the problem.
var credentialMarkers = []string{
	"Unable to locate credentials",
	"NoCredentialsError",
	"ExpiredToken",
	"InvalidClientTokenId",
	"The security token included in the request is",
	"Error loading SSO Token",
	"The SSO session associated with this profile has expired",
	"could not be found", // "The config profile (x) could not be found"
}

// Status runs `aws route53 get-health-check-status` for one health check.
func (h *AWSCLIHealth) Status(ctx context.Context, healthCheckID string) (HealthStatus, error) {
	stdout, stderr, err := h.run(ctx, h.path, "route53", "get-health-check-status",
		"--health-check-id", healthCheckID, "--output", "json")
	if err != nil {
		msg := strings.TrimSpace(string(stderr))
		for _, marker := range credentialMarkers {
			if strings.Contains(msg, marker) {
				return HealthStatus{}, &ToolError{
					Command: h.command,
					Tool:    "the AWS CLI (aws)",
					Problem: "with usable credentials",
					Hint:    "run `aws configure` or `aws sso login`, or set AWS_PROFILE / AWS_ACCESS_KEY_ID",
					Err:     errors.New(msg),
				}
			}
		}
		if strings.Contains(msg, "AccessDenied") {
			return HealthStatus{}, &ToolError{
				Command: h.command,
				Tool:    "AWS credentials",
				Problem: "allowed to call route53:GetHealthCheckStatus",
				Err:     errors.New(msg),
			}
		}
		if msg == "" {
			msg = err.Error()
		}
		return HealthStatus{}, fmt.Errorf("health check %s: aws route53 get-health-check-status: %s", healthCheckID, msg)
	}
	return ParseHealthCheckStatus(healthCheckID, stdout)
}
