package rollout

import (
	"context"
	"errors"
	"fmt"
)

// StackRunner is what promote, rollback and status need from a deployed stack.
type StackRunner interface {
	// Outputs returns the stack outputs of the last update (plain values, secrets decrypted).
	Outputs(ctx context.Context) (map[string]any, error)
	// GetConfig returns a stack config value as the CLI stores it (arrays as JSON text), or an
	// error wrapping ErrConfigNotSet when the stack does not set the key.
	GetConfig(ctx context.Context, key string) (string, error)
	// SetConfig writes a plain-text stack config value.
	SetConfig(ctx context.Context, key, value string) error
	// RemoveConfig deletes a stack config key, used to restore a key that was unset before.
	RemoveConfig(ctx context.Context, key string) error
	// Preview plans an update with the current config and lists its steps.
	Preview(ctx context.Context) (PreviewSummary, error)
	// Up applies the current config.
	Up(ctx context.Context) (UpSummary, error)
}

// UpSummary is what an update reports back.
type UpSummary struct {
	// Result is the engine's result ("succeeded", "failed", ...).
	Result string
	// Changes counts resources by operation.
	Changes map[string]int
	// Outputs are the stack outputs after the update.
	Outputs map[string]any
}

// ErrConfigNotSet is wrapped by StackRunner.GetConfig when the stack does not set the key.
var ErrConfigNotSet = errors.New("config key not set")

// ToolError says a command cannot run because a tool it needs is missing or not set up. The
// command exits 2 on it, like a usage error: nothing was changed and retrying will not help.
type ToolError struct {
	// Command is the cutover subcommand ("promote").
	Command string
	// Tool names the tool ("the Pulumi CLI (pulumi)").
	Tool string
	// Problem says what is wrong ("on PATH", "has no usable credentials").
	Problem string
	// Hint says how to fix it or what to use instead.
	Hint string
	// Err is the underlying error, if any.
	Err error
}

func (e *ToolError) Error() string {
	msg := fmt.Sprintf("cutover %s needs %s %s", e.Command, e.Tool, e.Problem)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *ToolError) Unwrap() error { return e.Err }

// LookPathFunc finds an executable, like exec.LookPath; injectable so tests can simulate a
// machine without the tool.
type LookPathFunc func(file string) (string, error)

// RequirePulumiCLI returns a ToolError naming the command when the pulumi CLI is not on PATH.
// The Automation API shells out to it for every operation, so there is no point going further.
func RequirePulumiCLI(command string, lookPath LookPathFunc) error {
	if _, err := lookPath("pulumi"); err != nil {
		return &ToolError{
			Command: command,
			Tool:    "the Pulumi CLI (pulumi)",
			Problem: "on PATH",
			Hint:    "install it from https://www.pulumi.com/docs/install/ ; offline checks: cutover plan / cutover diff",
			Err:     err,
		}
	}
	return nil
}
