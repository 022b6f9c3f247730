package rollout

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

// RunnerConfig selects the stack the Automation API runner works on.
type RunnerConfig struct {
	// Command is the cutover subcommand, named in error messages.
	Command string
	// Stack is the stack name (as `pulumi stack ls` shows it).
	Stack string
	// ProjectDir is the directory holding Pulumi.yaml.
	ProjectDir string
	// Progress receives the CLI's own preview and update output; nil discards it.
	Progress io.Writer
	// LookPath finds the pulumi binary; nil means exec.LookPath.
	LookPath LookPathFunc
	// PolicyPacks are run with every preview and update (paths to pack directories or binaries).
	PolicyPacks []string
}

// autoRunner implements StackRunner with the Pulumi Automation API over a local project.
type autoRunner struct {
	stack       auto.Stack
	progress    io.Writer
	policyPacks []string
}

// NewAutoRunner checks the pulumi CLI is installed and selects an existing stack of the project
// in cfg.ProjectDir. It selects rather than upserts: a mistyped --stack must fail here, not
// create an empty stack whose first `up` would build a whole second platform.
func NewAutoRunner(ctx context.Context, cfg RunnerConfig) (StackRunner, error) {
	lookPath := cfg.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	if err := RequirePulumiCLI(cfg.Command, lookPath); err != nil {
		return nil, err
	}
	stack, err := auto.SelectStackLocalSource(ctx, cfg.Stack, cfg.ProjectDir)
	if err != nil {
		return nil, fmt.Errorf("select stack %q of the project in %q (check --stack and --project-dir, and that you are logged in to the stack's backend): %w",
			cfg.Stack, cfg.ProjectDir, err)
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	return &autoRunner{stack: stack, progress: progress, policyPacks: cfg.PolicyPacks}, nil
}

func (r *autoRunner) Outputs(ctx context.Context) (map[string]any, error) {
	outs, err := r.stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read outputs of stack %q: %w", r.stack.Name(), err)
	}
	return plainOutputs(outs), nil
}

// GetConfig reads the whole config map rather than `config get`, so an unset key is told apart
// from a failing CLI without parsing error text.
func (r *autoRunner) GetConfig(ctx context.Context, key string) (string, error) {
	all, err := r.stack.GetAllConfig(ctx)
	if err != nil {
		return "", fmt.Errorf("read config of stack %q: %w", r.stack.Name(), err)
	}
	v, ok := all[key]
	if !ok {
		return "", fmt.Errorf("stack %q: %s: %w", r.stack.Name(), key, ErrConfigNotSet)
	}
	return v.Value, nil
}

// SetConfig, RemoveConfig and Up ignore cancellation of ctx. Cancelling the Automation API's
// context interrupts the CLI and kills it ten seconds later, which can leave a half-applied
// update with pending operations; an operator's Ctrl-C reaches the pulumi process directly
// (same process group) and pulumi stops cleanly on its own.
func (r *autoRunner) SetConfig(ctx context.Context, key, value string) error {
	err := r.stack.SetConfig(context.WithoutCancel(ctx), key, auto.ConfigValue{Value: value})
	if err != nil {
		return fmt.Errorf("set %s=%s on stack %q: %w", key, value, r.stack.Name(), err)
	}
	return nil
}

func (r *autoRunner) RemoveConfig(ctx context.Context, key string) error {
	if err := r.stack.RemoveConfig(context.WithoutCancel(ctx), key); err != nil {
		return fmt.Errorf("remove %s from stack %q: %w", key, r.stack.Name(), err)
	}
	return nil
}

func (r *autoRunner) Preview(ctx context.Context) (PreviewSummary, error) {
	ch := make(chan events.EngineEvent, 64)
	var (
		mu        sync.Mutex
		collected []events.EngineEvent
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch {
			mu.Lock()
			collected = append(collected, ev)
			mu.Unlock()
		}
	}()
	_, err := r.stack.Preview(ctx, optpreview.EventStreams(ch), optpreview.ProgressStreams(r.progress), optpreview.PolicyPacks(r.policyPacks...))
	if err != nil {
		// The SDK closes the channel only once the event stream ended; after a failed start it
		// may never do so, so do not wait for the collector here.
		return PreviewSummary{}, fmt.Errorf("preview stack %q: %w", r.stack.Name(), err)
	}
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, ev := range collected {
		if ev.Error != nil {
			return PreviewSummary{}, fmt.Errorf("preview stack %q: reading engine events: %w", r.stack.Name(), ev.Error)
		}
	}
	return SummarizeEvents(collected), nil
}

func (r *autoRunner) Up(ctx context.Context) (UpSummary, error) {
	res, err := r.stack.Up(context.WithoutCancel(ctx), optup.ProgressStreams(r.progress), optup.PolicyPacks(r.policyPacks...))
	if err != nil {
		return UpSummary{}, fmt.Errorf("update stack %q: %w", r.stack.Name(), err)
	}
	sum := UpSummary{Result: res.Summary.Result, Outputs: plainOutputs(res.Outputs)}
	if res.Summary.ResourceChanges != nil {
		sum.Changes = *res.Summary.ResourceChanges
	}
	return sum, nil
}

func plainOutputs(outs auto.OutputMap) map[string]any {
	plain := make(map[string]any, len(outs))
	for k, v := range outs {
		plain[k] = v.Value
	}
	return plain
}
