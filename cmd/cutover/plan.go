package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/internal/plan"
)

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// optionalInt is an int flag that remembers whether it was given.
type optionalInt struct{ v *int }

func (o *optionalInt) String() string {
	if o.v == nil {
		return ""
	}
	return fmt.Sprint(*o.v)
}

func (o *optionalInt) Set(s string) error {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || fmt.Sprint(n) != s {
		return fmt.Errorf("%q is not a whole number", s)
	}
	o.v = &n
	return nil
}

type planFlags struct {
	fs         *flag.FlagSet
	stack      string
	configFile string
	dir        string
	sets       multiFlag
	jsonOut    bool
	assume     optionalInt
	newStack   bool
}

func newPlanFlags(name string, stderr io.Writer) *planFlags {
	f := &planFlags{fs: flag.NewFlagSet("cutover "+name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.StringVar(&f.stack, "stack", "", "stack name; config from stacks/Pulumi.NAME.yaml (required)")
	f.fs.StringVar(&f.configFile, "config-file", "", "read the stack config from this file instead")
	f.fs.StringVar(&f.dir, "dir", "", "project directory holding Pulumi.yaml (default: found from the working directory upward)")
	f.fs.Var(&f.sets, "set", "override a config value, key=value (repeatable; JSON values are parsed, e.g. --set cutover:awsTrafficPercent=50)")
	f.fs.BoolVar(&f.jsonOut, "json", false, "print JSON instead of text")
	f.fs.Var(&f.assume, "assume-deployed-percent", "the phase the stack is deployed at (default: its committed awsTrafficPercent)")
	f.fs.BoolVar(&f.newStack, "new-stack", false, "plan as a stack that was never deployed (no previous phase)")
	return f
}

func (f *planFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
	}
	if f.stack == "" {
		return errors.New("--stack is required, e.g. --stack production")
	}
	if f.assume.v != nil && f.newStack {
		return errors.New("--assume-deployed-percent and --new-stack exclude each other")
	}
	if f.dir == "" {
		dir, err := findProjectDir()
		if err != nil {
			return err
		}
		f.dir = dir
	}
	return nil
}

func (f *planFlags) options() plan.Options {
	return plan.Options{
		Dir: f.dir, Stack: f.stack, ConfigFile: f.configFile, Sets: f.sets,
		AssumeDeployedPercent: f.assume.v, NewStack: f.newStack,
	}
}

// findProjectDir walks up from the working directory to the folder holding Pulumi.yaml.
func findProjectDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no Pulumi.yaml in %s or above: run cutover inside the project, or pass --dir", wd)
		}
	}
}

// exitFor reports an error and returns the exit code its kind calls for.
func exitFor(stderr io.Writer, err error) int {
	var cfgErr *config.Error
	var usageErr *plan.UsageError
	switch {
	case errors.As(err, &cfgErr):
		fmt.Fprintf(stderr, "cutover: %v\nNothing was planned: fix the config above (every problem is listed).\n", cfgErr)
		return 2
	case errors.As(err, &usageErr):
		fmt.Fprintf(stderr, "cutover: %v\n", usageErr)
		return 2
	default:
		fmt.Fprintf(stderr, "cutover: %v\n", err)
		return 1
	}
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	f := newPlanFlags("plan", stderr)
	var out string
	f.fs.StringVar(&out, "out", "", "also write plan.json and one YAML manifest per Kubernetes object to this directory")
	if err := f.parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "cutover plan: %v\n", err)
		return 2
	}
	p, err := plan.Run(f.options())
	if err != nil {
		return exitFor(stderr, err)
	}
	if out != "" {
		if err := p.WriteOut(out); err != nil {
			return exitFor(stderr, err)
		}
	}
	if f.jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(p); err != nil {
			return exitFor(stderr, err)
		}
	} else {
		p.WriteText(stdout)
	}
	if p.MandatoryViolations() > 0 {
		fmt.Fprintf(stderr, "cutover plan: %d mandatory policy violation(s) in stack %s\n", p.MandatoryViolations(), p.Stack)
		return 1
	}
	return 0
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	f := newPlanFlags("diff", stderr)
	var beforeFile, afterFile string
	f.fs.StringVar(&beforeFile, "before", "", "compare two saved plans: the plan JSON before the change (with --after; e.g. the base branch's)")
	f.fs.StringVar(&afterFile, "after", "", "the plan JSON after the change (with --before)")
	if beforeFile != "" || afterFile != "" || containsFlag(args, "before", "after") {
		if err := f.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintf(stderr, "cutover diff: %v\n", err)
			return 2
		}
		if beforeFile == "" || afterFile == "" {
			fmt.Fprintln(stderr, "cutover diff: --before and --after go together: two files written by `cutover plan --json`")
			return 2
		}
		before, err := readPlanFile(beforeFile)
		if err != nil {
			return exitFor(stderr, err)
		}
		after, err := readPlanFile(afterFile)
		if err != nil {
			return exitFor(stderr, err)
		}
		return printDiff(stdout, stderr, f.jsonOut, fmt.Sprintf("stack %s, %s -> %s", after.Stack, beforeFile, afterFile), plan.Diff(before, after))
	}
	if err := f.parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "cutover diff: %v\n", err)
		return 2
	}
	if len(f.sets) == 0 {
		fmt.Fprintln(stderr, "cutover diff: nothing to compare: give at least one --set, e.g. --set cutover:awsTrafficPercent=50, or --before/--after plan files")
		return 2
	}
	baseOpts := f.options()
	baseOpts.Sets = nil
	baseOpts.SkipPolicies = true
	before, err := plan.Run(baseOpts)
	if err != nil {
		return exitFor(stderr, err)
	}
	afterOpts := f.options()
	afterOpts.SkipPolicies = true
	after, err := plan.Run(afterOpts)
	if err != nil {
		return exitFor(stderr, err)
	}
	return printDiff(stdout, stderr, f.jsonOut, fmt.Sprintf("stack %s, %s", f.stack, strings.Join(f.sets, " ")), plan.Diff(before, after))
}

func printDiff(stdout, stderr io.Writer, asJSON bool, title string, d plan.DiffResult) int {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return exitFor(stderr, err)
		}
		return 0
	}
	fmt.Fprintf(stdout, "cutover diff: %s\n", title)
	plan.WriteDiffText(stdout, d)
	return 0
}

// containsFlag reports whether args name one of the flags (so the file form is chosen before the
// stack form's required-flag checks run).
func containsFlag(args []string, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a == "-"+n || a == "--"+n || strings.HasPrefix(a, "-"+n+"=") || strings.HasPrefix(a, "--"+n+"=") {
				return true
			}
		}
	}
	return false
}

// readPlanFile loads a plan written by `cutover plan --json`.
func readPlanFile(path string) (*plan.Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &plan.UsageError{Err: err}
	}
	var p plan.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, &plan.UsageError{Err: fmt.Errorf("%s is not a plan written by `cutover plan --json`: %v", path, err)}
	}
	return &p, nil
}
