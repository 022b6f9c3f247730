package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cutover-dev/cutover/internal/rollout"
)

// The Automation API commands live in internal/rollout, where their flag handling is tested
// with fakes; these entry points only bind them to the process.

// runStatus implements `cutover status`: the stack's rung, weights, health checks and gates.
func runStatus(args []string, stdout, stderr io.Writer) int {
	ctx, stop := interruptible()
	defer stop()
	return rollout.RunStatus(ctx, args, stdout, stderr, rollout.DefaultEnv())
}

// runPromote implements `cutover promote`: one rung up, preview check, up, soak, automatic
// rollback on a failing gate.
func runPromote(args []string, stdout, stderr io.Writer) int {
	ctx, stop := interruptible()
	defer stop()
	return rollout.RunPromote(ctx, args, stdout, stderr, rollout.DefaultEnv())
}

// runRollback implements `cutover rollback`: one rung down, or to --to N.
func runRollback(args []string, stdout, stderr io.Writer) int {
	ctx, stop := interruptible()
	defer stop()
	return rollout.RunRollback(ctx, args, stdout, stderr, rollout.DefaultEnv())
}

// interruptible turns Ctrl-C and SIGTERM into context cancellation, so a soak stops with a
// message saying which rung the stack is on instead of the process dying mid-sentence. A
// running pulumi update is not cut short by it: the terminal's Ctrl-C reaches pulumi directly.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
