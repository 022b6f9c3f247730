// Command cutover plans and drives the Heroku-to-AWS cutover.
//
//	cutover plan     --stack NAME [--config-file FILE] [--set key=value ...] [--json] [--out DIR]
//	cutover diff     --stack NAME --set cutover:awsTrafficPercent=50 [--json]
//	cutover status   --stack NAME            (Pulumi CLI + AWS credentials)
//	cutover promote  --stack NAME [--soak 10m] [--dry-run]
//	cutover rollback --stack NAME [--to N] [--dry-run]
//
// plan and diff run offline: no cloud credentials and no Pulumi CLI. Exit codes: 0 clean, 1 a
// mandatory policy violation (plan) or a refused/rolled-back move, 2 a config or usage error.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

const usage = `cutover moves an API platform from Heroku to AWS in phases.

Offline (no credentials, no Pulumi CLI):
  cutover plan     --stack NAME [--config-file FILE] [--set key=value ...] [--json] [--out DIR]
                   [--assume-deployed-percent N | --new-stack]
  cutover diff     --stack NAME --set key=value [...] [--json]

Against a deployed stack (Pulumi CLI on PATH, AWS credentials):
  cutover status   --stack NAME
  cutover promote  --stack NAME [--soak 10m] [--interval 30s] [--dry-run]
  cutover rollback --stack NAME [--to N] [--dry-run]

Exit codes: 0 ok, 1 mandatory policy violation or a refused / rolled-back move, 2 config or usage error.
Run "cutover COMMAND -h" for a command's flags.
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// shortLivedGC tunes the collector for a command that runs for a fraction of a second: a plan
// allocates about 10 MB, so collecting during it costs more CPU than the memory it returns. The
// collector stays off until the heap reaches a soft limit far above a plan of hundreds of services,
// so a large stack still collects instead of growing without bound.
func shortLivedGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return // the user's settings win
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(256 << 20)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "plan":
		shortLivedGC()
		return runPlan(rest, stdout, stderr)
	case "diff":
		shortLivedGC()
		return runDiff(rest, stdout, stderr)
	case "status":
		return runStatus(rest, stdout, stderr)
	case "promote":
		return runPromote(rest, stdout, stderr)
	case "rollback":
		return runRollback(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "cutover: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}
