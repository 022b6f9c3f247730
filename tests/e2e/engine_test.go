//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/cutover-dev/cutover/policies/rules"
)

// project is the Pulumi project name of every e2e stack: the product's own,
// so URNs (and the policies that read the stack from them) match the real
// program's.
const project = "cutover"

// engine runs inline programs with the Pulumi CLI built by tools/build.sh,
// against a file backend in the run's temp dir, with no network: plugins come
// from .tools/bin on PATH (the engine prefers a plugin found on PATH over its
// plugin cache), and plugin downloads are switched off.
type engine struct {
	cmd     auto.PulumiCommand
	home    string
	backend string
	workDir string
	logDir  string
	env     map[string]string
}

func newEngine(toolsDir, binDir, tmp, logDir, kubeconfigPath string) (*engine, error) {
	// NewPulumiCommand runs `<root>/bin/pulumi version` and checks it is at
	// least the SDK's minimum, so a wrongly stamped build fails here.
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: toolsDir})
	if err != nil {
		return nil, fmt.Errorf("pulumi CLI in %s: %w", binDir, err)
	}
	e := &engine{
		cmd:     cmd,
		home:    filepath.Join(tmp, "pulumi-home"),
		backend: filepath.Join(tmp, "backend"),
		workDir: filepath.Join(tmp, "work"),
		logDir:  logDir,
	}
	for _, dir := range []string{e.home, e.backend, e.workDir, e.logDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	e.env = map[string]string{
		"PATH":                     binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_BACKEND_URL":       "file://" + e.backend,
		"PULUMI_CONFIG_PASSPHRASE": "cutover-e2e",
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		// Anything that falls back to the ambient kubeconfig also lands on
		// the test cluster, never on a cluster of the machine's user.
		"KUBECONFIG": kubeconfigPath,
	}
	return e, nil
}

// stack creates (or selects) stack name running program, with the given
// config values ("cutover:key" -> engine text).
func (e *engine) stack(ctx context.Context, name string, program pulumi.RunFunc, config map[string]string) (auto.Stack, error) {
	dir := filepath.Join(e.workDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return auto.Stack{}, err
	}
	st, err := auto.UpsertStackInlineSource(ctx, name, project, program,
		auto.WorkDir(dir),
		auto.Pulumi(e.cmd),
		auto.PulumiHome(e.home),
		auto.EnvVars(e.env),
		auto.SecretsProvider("passphrase"),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + e.backend},
		}),
	)
	if err != nil {
		return auto.Stack{}, fmt.Errorf("stack %s: %w", name, err)
	}
	if len(config) > 0 {
		values := auto.ConfigMap{}
		for k, v := range config {
			values[k] = auto.ConfigValue{Value: v}
		}
		if err := st.SetAllConfig(ctx, values); err != nil {
			return auto.Stack{}, fmt.Errorf("stack %s: config: %w", name, err)
		}
	}
	return st, nil
}

// collector gathers an operation's engine events.
type collector struct {
	ch   chan events.EngineEvent
	done chan struct{}
	all  []events.EngineEvent
}

func newCollector() *collector {
	c := &collector{ch: make(chan events.EngineEvent), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for ev := range c.ch {
			c.all = append(c.all, ev)
		}
	}()
	return c
}

// wait returns the events once the Automation API has closed the channel. A
// CLI that failed before streaming never closes it, hence the timeout.
func (c *collector) wait() []events.EngineEvent {
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
	}
	return c.all
}

// step is one resource step the engine planned or performed.
type step struct {
	Op   apitype.OpType
	URN  string
	Type string
	// Diffs are the changed property paths with their kind
	// ("spec.template.spec.containers[0].image: update"), sorted.
	Diffs []string
	// Replacing is true when any changed property forces a replacement.
	Replacing bool
}

func steps(evs []events.EngineEvent) []step {
	var out []step
	for _, ev := range evs {
		if ev.ResourcePreEvent == nil {
			continue
		}
		m := ev.ResourcePreEvent.Metadata
		st := step{Op: m.Op, URN: m.URN, Type: m.Type}
		for path, d := range m.DetailedDiff {
			st.Diffs = append(st.Diffs, path+": "+string(d.Kind))
			switch d.Kind {
			case apitype.DiffAddReplace, apitype.DiffDeleteReplace, apitype.DiffUpdateReplace:
				st.Replacing = true
			}
		}
		sort.Strings(st.Diffs)
		out = append(out, st)
	}
	return out
}

// opCounts summarises steps as "create 14, same 2".
func opCounts(ss []step) string {
	counts := map[string]int{}
	for _, s := range ss {
		counts[string(s.Op)]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	if len(parts) == 0 {
		return "no steps"
	}
	return strings.Join(parts, ", ")
}

// errorDiagnostics returns the engine's error messages, which carry the
// provider's and so the API server's own text when it refuses an object.
func errorDiagnostics(evs []events.EngineEvent) []string {
	return diagnostics(evs, "error")
}

// warningDiagnostics returns the engine's warnings.
func warningDiagnostics(evs []events.EngineEvent) []string {
	return diagnostics(evs, "warning")
}

func diagnostics(evs []events.EngineEvent, severity string) []string {
	var out []string
	for _, ev := range evs {
		d := ev.DiagnosticEvent
		if d == nil || d.Severity != severity {
			continue
		}
		msg := strings.TrimSpace(colors.Never.Colorize(d.Message))
		if d.URN != "" {
			msg = d.URN + ": " + msg
		}
		out = append(out, msg)
	}
	return out
}

// policyViolations converts the engine's policy events to the rules'
// Violation form, sorted like rules.Check sorts. A stack policy's finding is
// attributed by the engine to the root stack resource; rules.Check leaves
// its URN empty ("the stack as a whole"), so the root stack URN becomes "".
func policyViolations(evs []events.EngineEvent) []rules.Violation {
	var out []rules.Violation
	for _, ev := range evs {
		p := ev.PolicyEvent
		if p == nil {
			continue
		}
		urn := p.ResourceURN
		if strings.Contains(urn, "::pulumi:pulumi:Stack::") {
			urn = ""
		}
		out = append(out, rules.Violation{
			Policy:  p.PolicyName,
			Level:   p.EnforcementLevel,
			URN:     urn,
			Message: strings.TrimSpace(colors.Never.Colorize(p.Message)),
		})
	}
	sortViolations(out)
	return out
}

// asTheEngineShowsThem returns rules.Check's violations with each message
// preceded by its policy's description, which is how the engine's policy
// events carry them.
func asTheEngineShowsThem(vs []rules.Violation) []rules.Violation {
	descriptions := map[string]string{}
	for _, p := range rules.Describe() {
		descriptions[p.Name] = p.Description
	}
	out := make([]rules.Violation, len(vs))
	for i, v := range vs {
		if d := descriptions[v.Policy]; d != "" {
			v.Message = d + "\n" + v.Message
		}
		out[i] = v
	}
	return out
}

func sortViolations(vs []rules.Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Message < b.Message
	})
}

// runStep logs a step's start, runs it, and logs its outcome and duration.
func runStep(t *testing.T, name string, fn func() error) error {
	t.Helper()
	t.Logf("--> %s", name)
	start := time.Now()
	err := fn()
	if err != nil {
		t.Logf("<-- %s: FAILED after %s", name, since(start))
	} else {
		t.Logf("<-- %s: ok in %s", name, since(start))
	}
	return err
}

// progressLog opens the file an operation's progress output goes to.
func (e *engine) progressLog(stack, op string) (*os.File, error) {
	return os.Create(filepath.Join(e.logDir, stack+"-"+op+".log"))
}
