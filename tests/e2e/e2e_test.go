//go:build e2e

package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/infra/program"
	"github.com/cutover-dev/cutover/internal/plan"
	"github.com/cutover-dev/cutover/policies/rules"
)

// harness is what TestMain sets up once for every test: the cluster and the
// engine around it.
var harness struct {
	repoRoot string
	runDir   string
	cluster  *cluster
	engine   *engine
}

// The binaries tools/build.sh puts in .tools/bin.
var requiredTools = []string{"pulumi", "pulumi-resource-kubernetes", "kube-apiserver", "etcd"}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	harness.repoRoot = root
	toolsDir := filepath.Join(root, ".tools")
	binDir := filepath.Join(toolsDir, "bin")
	var missing []string
	for _, tool := range requiredTools {
		if _, err := os.Stat(filepath.Join(binDir, tool)); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "e2e: missing %s in %s: run tools/build.sh (or `make e2e`, which runs it first)\n",
			strings.Join(missing, ", "), binDir)
		return 1
	}

	stamp, err := os.ReadFile(filepath.Join(binDir, "pulumi-resource-kubernetes.stamp"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: the provider's stamp (run tools/build.sh):", err)
		return 1
	}
	providerVersion = strings.TrimPrefix(strings.Fields(string(stamp))[0], "v")

	// Logs, certificates and state stay in .tools/e2e-run (git-ignored) after
	// the run, so a failure can be read afterwards; the next run starts clean.
	harness.runDir = filepath.Join(toolsDir, "e2e-run")
	if err := os.RemoveAll(harness.runDir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	clusterDir := filepath.Join(harness.runDir, "cluster")
	if err := os.MkdirAll(clusterDir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	fmt.Println("e2e: left out of this run (they need AWS, Heroku or a chart repository):")
	for _, s := range leftOut {
		fmt.Println("  -", s)
	}

	ctx := context.Background()
	start := time.Now()
	c, err := startCluster(ctx, binDir, clusterDir, func(format string, args ...any) {
		fmt.Printf("e2e: "+format+"\n", args...)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: starting the cluster:", err)
		return 1
	}
	defer c.stop()
	harness.cluster = c
	fmt.Printf("e2e: cluster up in %s; logs in %s\n", since(start), clusterDir)

	e, err := newEngine(toolsDir, binDir, filepath.Join(harness.runDir, "pulumi"), filepath.Join(harness.runDir, "logs"), c.kubeconfigPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	harness.engine = e
	return m.Run()
}

// committedStacks lists the stacks under stacks/.
func committedStacks(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(harness.repoRoot, "stacks", "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no committed stacks under stacks/")
	var out []string
	for _, f := range files {
		out = append(out, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	return out
}

// loadStack reads a committed stack's config: the validated Config the
// program would build from, and the plain (non-secret) values the engine's
// stack gets, which are also what the policy pack reads.
func loadStack(t *testing.T, stack string) (config.Config, map[string]string) {
	t.Helper()
	sc, err := plan.ReadStackConfig(plan.StackFilePath(harness.repoRoot, stack))
	require.NoError(t, err)
	cfg, err := plan.FromStackConfig(stack, sc)
	require.NoError(t, err, "stack %s config", stack)
	plain := map[string]string{}
	for k, v := range sc.Values {
		if !sc.Secrets[k] {
			plain[k] = v
		}
	}
	return cfg, plain
}

// withNewImageAndReplicas returns cfg with service name's image tag (or
// digest) changed and its replica range raised by one.
func withNewImageAndReplicas(cfg config.Config, name string) (config.Config, config.Service) {
	services := map[string]config.Service{}
	for k, v := range cfg.Services {
		services[k] = v
	}
	s := services[name]
	if at := strings.Index(s.Image, "@"); at >= 0 {
		s.Image = fmt.Sprintf("%s@sha256:%x", s.Image[:at], sha256.Sum256([]byte("cutover-e2e")))
	} else {
		s.Image += "-e2e"
	}
	s.MinReplicas++
	s.MaxReplicas++
	services[name] = s
	cfg.Services = services
	return cfg, s
}

func urnOf(t *testing.T, graph []rules.Resource, typ, name string) string {
	t.Helper()
	for _, r := range graph {
		if r.Type == typ && r.Name == name {
			return r.URN
		}
	}
	t.Fatalf("no %s named %s in the mock graph", typ, name)
	return ""
}

// TestWorkloadLifecycle drives the workload layer of every committed stack
// through preview, up, an idempotence check, an in-place update, refresh and
// destroy with the real engine, provider and API server.
func TestWorkloadLifecycle(t *testing.T) {
	for _, stackName := range committedStacks(t) {
		t.Run(stackName, func(t *testing.T) {
			ctx := context.Background()
			c, e := harness.cluster, harness.engine
			cfg, plainConfig := loadStack(t, stackName)
			workload := workloadProgram(cfg, c.kubeconfig)

			// The mock run is the reference the engine's plan is compared with.
			graph, err := runUnderMocks(project, stackName, workload)
			require.NoError(t, err, "the workload layer under mocks")
			var wantURNs []string
			for _, r := range graph {
				wantURNs = append(wantURNs, r.URN)
			}
			slices.Sort(wantURNs)
			t.Logf("stack %s: %d services, %d resources in the workload layer", stackName, len(cfg.Services), len(graph))

			st, err := e.stack(ctx, stackName, workload, plainConfig)
			require.NoError(t, err)
			deployed := false
			t.Cleanup(func() {
				// Leave the cluster clean for the next stack even when a step failed.
				if deployed {
					if _, err := st.Destroy(ctx); err != nil {
						t.Logf("cleanup destroy: %v", err)
					}
				}
				if err := c.finalizeNamespace(ctx, program.AppNamespace); err != nil {
					t.Logf("cleanup: %v", err)
				}
				_ = st.Workspace().RemoveStack(ctx, stackName)
			})

			t.Run("policy pack through the engine", func(t *testing.T) {
				checkPolicyPack(t, st, stackName, plainConfig, graph)
			})

			// The namespace does not exist yet, so the provider can dry-run
			// only the Namespace itself on the server; the objects inside it
			// are previewed client-side (the update preview below is the
			// server-side one).
			require.NoError(t, runStep(t, "preview", func() error {
				evs, err := preview(ctx, e, st, stackName, "preview")
				if err != nil {
					return err
				}
				ss := steps(evs)
				t.Logf("    %s", opCounts(ss))
				assert.Equal(t, wantURNs, urnsWithOp(ss, apitype.OpCreate), "the engine plans to create exactly what the mocks record")
				return nil
			}))

			require.NoError(t, runStep(t, "up", func() error {
				deployed = true // even a partial up leaves objects to destroy
				res, evs, err := up(ctx, e, st, stackName, "up")
				if err != nil {
					return err
				}
				t.Logf("    %s", summary(res))
				assert.Equal(t, wantURNs, urnsWithOp(steps(evs), apitype.OpCreate))
				assertNoWarnings(t, evs)
				return nil
			}))

			// What the API server now holds is what the program declared.
			deployments, err := c.listNames(ctx, "/apis/apps/v1/namespaces/"+program.AppNamespace+"/deployments")
			require.NoError(t, err)
			assert.ElementsMatch(t, config.SortedKeys(cfg.Services), deployments)

			require.NoError(t, runStep(t, "pod admission: each Deployment's pod, server-side dry run", func() error {
				var errs []string
				for _, name := range deployments {
					if err := c.checkPodAdmission(ctx, program.AppNamespace, name); err != nil {
						errs = append(errs, err.Error())
					}
				}
				if len(errs) > 0 {
					return fmt.Errorf("the API server refuses pods the Deployments would create:\n  %s", strings.Join(errs, "\n  "))
				}
				t.Logf("    %d pods admitted (pod security %q, service accounts present)", len(deployments), "restricted")
				return nil
			}))

			require.NoError(t, runStep(t, "preview --expect-no-changes (idempotent)", func() error {
				evs, err := preview(ctx, e, st, stackName, "preview-idempotent", optpreview.ExpectNoChanges())
				if err != nil {
					return err
				}
				t.Logf("    %s", opCounts(steps(evs)))
				return nil
			}))

			changed := config.SortedKeys(cfg.Services)[0]
			newCfg, newSvc := withNewImageAndReplicas(cfg, changed)
			wantUpdated := []string{
				urnOf(t, graph, "kubernetes:apps/v1:Deployment", "svc-"+changed+"-deployment"),
				urnOf(t, graph, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "svc-"+changed+"-hpa"),
			}
			slices.Sort(wantUpdated)
			st.Workspace().SetProgram(workloadProgram(newCfg, c.kubeconfig))
			change := fmt.Sprintf("service %s to image %s, replicas %d-%d", changed, newSvc.Image, newSvc.MinReplicas, newSvc.MaxReplicas)

			// The namespace exists now, so the provider dry-runs the changed
			// objects on the API server.
			require.NoError(t, runStep(t, "preview (server-side dry run): "+change, func() error {
				evs, err := preview(ctx, e, st, stackName, "preview-update")
				if err != nil {
					return err
				}
				t.Logf("    %s", opCounts(steps(evs)))
				assertInPlaceUpdate(t, steps(evs), wantUpdated)
				return nil
			}))
			require.NoError(t, runStep(t, "up: "+change, func() error {
				res, evs, err := up(ctx, e, st, stackName, "up-update")
				if err != nil {
					return err
				}
				t.Logf("    %s", summary(res))
				assertNoWarnings(t, evs)
				assertInPlaceUpdate(t, steps(evs), wantUpdated)
				return nil
			}))
			image, minReplicas, maxReplicas := liveWorkload(ctx, t, c, changed)
			assert.Equal(t, newSvc.Image, image, "the Deployment's image on the server")
			assert.Equal(t, newSvc.MinReplicas, minReplicas, "the HPA's minReplicas on the server")
			assert.Equal(t, newSvc.MaxReplicas, maxReplicas, "the HPA's maxReplicas on the server")

			require.NoError(t, runStep(t, "refresh --expect-no-changes", func() error {
				log, err := e.progressLog(stackName, "refresh")
				if err != nil {
					return err
				}
				defer log.Close()
				col := newCollector()
				res, err := st.Refresh(ctx, optrefresh.ExpectNoChanges(), optrefresh.ProgressStreams(log), optrefresh.EventStreams(col.ch))
				evs := col.wait()
				if err != nil {
					return describeFailure(t, err, evs, log.Name())
				}
				t.Logf("    %s", summary(res.Summary))
				return nil
			}))

			require.NoError(t, runStep(t, "destroy", func() error {
				log, err := e.progressLog(stackName, "destroy")
				if err != nil {
					return err
				}
				defer log.Close()
				col := newCollector()
				res, err := st.Destroy(ctx, optdestroy.ProgressStreams(log), optdestroy.EventStreams(col.ch))
				evs := col.wait()
				if err != nil {
					return describeFailure(t, err, evs, log.Name())
				}
				deployed = false
				t.Logf("    %s", summary(res.Summary))
				assert.Equal(t, wantURNs, urnsWithOp(steps(evs), apitype.OpDelete))
				return nil
			}))
			left, err := c.leftovers(ctx, program.AppNamespace)
			require.NoError(t, err)
			assert.Empty(t, left, "objects left in namespace %s after destroy", program.AppNamespace)
			require.NoError(t, c.finalizeNamespace(ctx, program.AppNamespace), "destroy must have deleted the namespace")
		})
	}
}

// urnsWithOp returns the sorted URNs of the steps with op, leaving out the
// root stack resource, which the mocks never see.
func urnsWithOp(ss []step, op apitype.OpType) []string {
	var out []string
	for _, s := range ss {
		if s.Op == op && s.Type != "pulumi:pulumi:Stack" {
			out = append(out, s.URN)
		}
	}
	slices.Sort(out)
	return out
}

// expectedWarnings are the engine's own notes that it runs the locally built
// provider from PATH, which is how this harness means it to run.
//
// ClusterIPNotAllocated is an Event of the API server's own ClusterIP repair
// loop, which the provider relays: in a lone API server that creates and
// deletes Services in quick succession (one stack after another), the loop
// can look at a freshly allocated IP before its allocation is visible to it.
// It concerns the test cluster's bookkeeping, not the object.
var expectedWarnings = []string{"using pulumi-resource-kubernetes from $PATH", "ClusterIPNotAllocated"}

// assertNoWarnings fails on any other warning from the engine or the
// provider (a deprecated API version, a field the provider ignores). The
// provider drops the API server's own warning headers, so pod security is
// checked separately (checkPodAdmission).
func assertNoWarnings(t *testing.T, evs []events.EngineEvent) {
	t.Helper()
	for _, w := range warningDiagnostics(evs) {
		if !slices.ContainsFunc(expectedWarnings, func(e string) bool { return strings.Contains(w, e) }) {
			t.Errorf("unexpected warning: %s", w)
		}
	}
}

// assertInPlaceUpdate checks that the steps update exactly wantUpdated (the
// changed service's Deployment and HPA), leave everything else alone, and
// that no changed property forces a replacement.
func assertInPlaceUpdate(t *testing.T, ss []step, wantUpdated []string) {
	t.Helper()
	for _, s := range ss {
		switch {
		case s.Op != apitype.OpSame && s.Op != apitype.OpUpdate:
			t.Errorf("step %s on %s: an image and replica change must update in place", s.Op, s.URN)
		case s.Replacing:
			t.Errorf("%s: a changed property forces a replacement: %s", s.URN, strings.Join(s.Diffs, ", "))
		}
	}
	assert.Equal(t, wantUpdated, urnsWithOp(ss, apitype.OpUpdate), "exactly the Deployment and the HPA change")
	for _, s := range ss {
		if s.Op == apitype.OpUpdate {
			t.Logf("    update %s (%s)", s.URN, strings.Join(s.Diffs, ", "))
		}
	}
	assert.Contains(t, diffsOf(ss, wantUpdated[0]), "spec.template.spec.containers[0].image: update")
	assert.Contains(t, diffsOf(ss, wantUpdated[1]), "spec.minReplicas: update")
	assert.Contains(t, diffsOf(ss, wantUpdated[1]), "spec.maxReplicas: update")
}

// diffsOf returns the property diffs of urn's step.
func diffsOf(ss []step, urn string) []string {
	for _, s := range ss {
		if s.URN == urn {
			return s.Diffs
		}
	}
	return nil
}

func summary(s auto.UpdateSummary) string {
	if s.ResourceChanges == nil {
		return s.Result
	}
	keys := make([]string, 0, len(*s.ResourceChanges))
	for k := range *s.ResourceChanges {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, (*s.ResourceChanges)[k])
	}
	return s.Result + ": " + strings.Join(parts, ", ")
}

// describeFailure logs what the engine said (the API server's refusal text
// included) and returns err with the progress log's location.
func describeFailure(t *testing.T, err error, evs []events.EngineEvent, logPath string) error {
	t.Helper()
	for _, d := range errorDiagnostics(evs) {
		t.Logf("    engine error: %s", d)
	}
	return fmt.Errorf("%w (full output: %s)", err, logPath)
}

func preview(ctx context.Context, e *engine, st auto.Stack, stack, name string, opts ...optpreview.Option) ([]events.EngineEvent, error) {
	log, err := e.progressLog(stack, name)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	col := newCollector()
	opts = append(opts, optpreview.ProgressStreams(log), optpreview.EventStreams(col.ch))
	_, err = st.Preview(ctx, opts...)
	evs := col.wait()
	if err != nil {
		return evs, withDiagnostics(err, evs, log.Name())
	}
	return evs, nil
}

func up(ctx context.Context, e *engine, st auto.Stack, stack, name string, opts ...optup.Option) (auto.UpdateSummary, []events.EngineEvent, error) {
	log, err := e.progressLog(stack, name)
	if err != nil {
		return auto.UpdateSummary{}, nil, err
	}
	defer log.Close()
	col := newCollector()
	opts = append(opts, optup.ProgressStreams(log), optup.EventStreams(col.ch))
	res, err := st.Up(ctx, opts...)
	evs := col.wait()
	if err != nil {
		return auto.UpdateSummary{}, evs, withDiagnostics(err, evs, log.Name())
	}
	return res.Summary, evs, nil
}

// withDiagnostics puts the engine's error diagnostics (the API server's text)
// in front of the CLI's error.
func withDiagnostics(err error, evs []events.EngineEvent, logPath string) error {
	diags := errorDiagnostics(evs)
	if len(diags) == 0 {
		return fmt.Errorf("%w\n(full output: %s)", err, logPath)
	}
	return fmt.Errorf("engine errors:\n  %s\n(full output: %s): %w", strings.Join(diags, "\n  "), logPath, err)
}

// liveWorkload reads the service's Deployment image and HPA range from the
// API server.
func liveWorkload(ctx context.Context, t *testing.T, c *cluster, name string) (string, int, int) {
	t.Helper()
	status, body, err := c.do(ctx, http.MethodGet, "/apis/apps/v1/namespaces/"+program.AppNamespace+"/deployments/"+name, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, "GET deployment %s: %s", name, body)
	var d struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Image string `json:"image"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	require.NoError(t, json.Unmarshal(body, &d))
	require.Len(t, d.Spec.Template.Spec.Containers, 1)

	status, body, err = c.do(ctx, http.MethodGet, "/apis/autoscaling/v2/namespaces/"+program.AppNamespace+"/horizontalpodautoscalers/"+name, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, "GET hpa %s: %s", name, body)
	var h struct {
		Spec struct {
			MinReplicas int `json:"minReplicas"`
			MaxReplicas int `json:"maxReplicas"`
		} `json:"spec"`
	}
	require.NoError(t, json.Unmarshal(body, &h))
	return d.Spec.Template.Spec.Containers[0].Image, h.Spec.MinReplicas, h.Spec.MaxReplicas
}

var policyBinary struct {
	once sync.Once
	path string
	err  error
}

// buildPolicyPack builds ./policies into the run dir once per run: the binary
// a user passes to `pulumi preview --policy-pack`.
func buildPolicyPack(t *testing.T) string {
	t.Helper()
	policyBinary.once.Do(func() {
		dir := filepath.Join(harness.runDir, "policy-pack")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			policyBinary.err = err
			return
		}
		policyBinary.path = filepath.Join(dir, "cutover-policies")
		start := time.Now()
		cmd := exec.Command("go", "build", "-o", policyBinary.path, "./policies")
		cmd.Dir = harness.repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			policyBinary.err = fmt.Errorf("go build ./policies: %w\n%s", err, out)
			return
		}
		t.Logf("built the policy pack binary in %s", since(start))
	})
	require.NoError(t, policyBinary.err)
	return policyBinary.path
}

// checkPolicyPack runs a preview with the policy pack binary through the
// engine and checks it reports exactly what rules.Check reports for the same
// program's mock graph and the same config.
//
// The comparison is not vacuous: the harness's skipAwait annotation (see
// harnessTransform) is what policy k8s-10 forbids, so both sides must find
// it on every Deployment and Service, and a mandatory violation makes the
// engine's preview fail.
func checkPolicyPack(t *testing.T, st auto.Stack, stack string, plainConfig map[string]string, graph []rules.Resource) {
	ctx := context.Background()
	binary := buildPolicyPack(t)

	inProcess, err := rules.Check(graph, plainConfig)
	require.NoError(t, err, "rules.Check on the mock graph")
	want := asTheEngineShowsThem(inProcess)

	var evs []events.EngineEvent
	var previewErr error
	_ = runStep(t, "preview --policy-pack "+filepath.Base(binary), func() error {
		evs, previewErr = preview(ctx, harness.engine, st, stack, "preview-policy-pack", optpreview.PolicyPacks(binary))
		return nil
	})
	got := policyViolations(evs)
	packs := map[string]bool{}
	for _, ev := range evs {
		if ev.SummaryEvent != nil {
			for name := range ev.SummaryEvent.PolicyPacks {
				packs[name] = true
			}
		}
	}
	require.True(t, packs[rules.PackName] || len(got) > 0,
		"the engine never ran the pack %s (no policy events, not in the summary); preview error: %v", rules.PackName, previewErr)

	mandatory := 0
	for _, v := range want {
		if v.Level == rules.LevelMandatory {
			mandatory++
		}
	}
	if mandatory > 0 {
		require.Error(t, previewErr, "%d mandatory violations must fail the engine's preview", mandatory)
	} else {
		require.NoError(t, previewErr)
	}
	for _, v := range got {
		t.Logf("    engine: %s [%s] %s", v.Policy, v.Level, shortURN(v.URN))
	}
	if !assert.Equal(t, want, got, "the pack through the engine reports what rules.Check reports") {
		for _, v := range inProcess {
			t.Logf("    rules.Check: %s [%s] %s: %s", v.Policy, v.Level, v.URN, v.Message)
		}
	} else {
		t.Logf("    the same %d violations as rules.Check on the mock graph (messages included)", len(got))
	}
	assert.NotEmpty(t, want, "the harness annotations should give the pack something to report")
}

// shortURN keeps a URN's last type and name, or names the stack as a whole.
func shortURN(urn string) string {
	if urn == "" {
		return "(the stack as a whole)"
	}
	parts := strings.Split(urn, "::")
	if len(parts) < 2 {
		return urn
	}
	typ := parts[len(parts)-2]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return typ + "::" + parts[len(parts)-1]
}

// brokenDeployment is a Deployment whose selector does not match its pod
// template's labels: every field is well-formed, so the SDK and the mocks
// accept it, but the API server's validation refuses it.
func brokenDeployment(kubeconfig string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if err := ctx.RegisterResourceTransform(harnessTransform); err != nil {
			return err
		}
		provider, err := newProvider(ctx, kubeconfig)
		if err != nil {
			return err
		}
		_, err = appsv1.NewDeployment(ctx, "selector-mismatch", &appsv1.DeploymentArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("selector-mismatch"), Namespace: pulumi.String("default")},
			Spec: &appsv1.DeploymentSpecArgs{
				Selector: &metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"app.kubernetes.io/name": pulumi.String("api")}},
				Template: &corev1.PodTemplateSpecArgs{
					Metadata: &metav1.ObjectMetaArgs{Labels: pulumi.StringMap{"app.kubernetes.io/name": pulumi.String("webhooks")}},
					Spec: &corev1.PodSpecArgs{Containers: corev1.ContainerArray{&corev1.ContainerArgs{
						Name: pulumi.String("api"), Image: pulumi.String("registry.example.com/acme/api:2026.11.2"),
					}}},
				},
			},
		}, pulumi.Provider(provider))
		return err
	}
}

// selectorMismatchText is the API server's own validation message.
const selectorMismatchText = "`selector` does not match template `labels`"

// TestBrokenDeploymentRefusedByAPIServer shows what the mocks cannot: the
// mock run accepts a Deployment whose selector does not match its template,
// while the API server refuses it through the real engine and provider, in
// preview (server-side dry run) and in up, with its own error text.
func TestBrokenDeploymentRefusedByAPIServer(t *testing.T) {
	ctx := context.Background()
	c, e := harness.cluster, harness.engine
	broken := brokenDeployment(c.kubeconfig)

	graph, err := runUnderMocks(project, "broken", broken)
	require.NoError(t, err, "the mocks accept the broken Deployment")
	urn := urnOf(t, graph, "kubernetes:apps/v1:Deployment", "selector-mismatch")
	t.Logf("mocks: accepted, recorded %s", urn)

	st, err := e.stack(ctx, "broken", broken, nil)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = st.Destroy(ctx)
		_ = st.Workspace().RemoveStack(ctx, "broken")
	})

	for _, op := range []string{"preview", "up"} {
		// The step succeeds when the engine fails with the API server's text.
		err := runStep(t, op+" of the broken Deployment, expecting the API server to refuse it", func() error {
			var opErr error
			var evs []events.EngineEvent
			if op == "preview" {
				evs, opErr = preview(ctx, e, st, "broken", "broken-preview")
			} else {
				_, evs, opErr = up(ctx, e, st, "broken", "broken-up")
			}
			if opErr == nil {
				return fmt.Errorf("%s succeeded: the broken Deployment was accepted", op)
			}
			diags := errorDiagnostics(evs)
			for _, d := range diags {
				t.Logf("    refused: %s", d)
			}
			if !slices.ContainsFunc(diags, func(d string) bool { return strings.Contains(d, selectorMismatchText) }) {
				return fmt.Errorf("%s failed without the API server's text %q: %w", op, selectorMismatchText, opErr)
			}
			return nil
		})
		require.NoError(t, err)
	}

	status, body, err := c.do(ctx, http.MethodGet, "/apis/apps/v1/namespaces/default/deployments/selector-mismatch", nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, status, "the refused Deployment must not exist: %s", body)
}

// TestPodAdmissionCheckRefusesARootPod shows that checkPodAdmission can fail:
// a Deployment whose pod runs without the restricted security context is
// accepted by the API server as a Deployment, but the pod it would create is
// refused in a namespace that enforces the "restricted" pod security level,
// as the product's namespace does. No engine is involved: this checks the
// harness's own check.
func TestPodAdmissionCheckRefusesARootPod(t *testing.T) {
	ctx := context.Background()
	c := harness.cluster
	const ns = "pod-admission-check"
	namespace := map[string]any{
		"apiVersion": "v1", "kind": "Namespace",
		"metadata": map[string]any{"name": ns, "labels": map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}},
	}
	status, body, err := c.do(ctx, http.MethodPost, "/api/v1/namespaces", namespace)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, status, "create namespace: %s", body)
	t.Cleanup(func() {
		if _, _, err := c.do(ctx, http.MethodDelete, "/api/v1/namespaces/"+ns, nil); err == nil {
			_ = c.finalizeNamespace(ctx, ns)
		}
	})
	// The service account controller (not run here) would create "default";
	// without it the pod would be refused for that reason instead.
	sa := map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{"name": "default"}}
	status, body, err = c.do(ctx, http.MethodPost, "/api/v1/namespaces/"+ns+"/serviceaccounts", sa)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, status, "create service account: %s", body)
	deployment := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": "runs-as-root"},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": map[string]string{"app": "runs-as-root"}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]string{"app": "runs-as-root"}},
				"spec": map[string]any{"containers": []map[string]any{{
					"name": "app", "image": "registry.example.com/acme/api:2026.11.2",
				}}},
			},
		},
	}
	status, body, err = c.do(ctx, http.MethodPost, "/apis/apps/v1/namespaces/"+ns+"/deployments", deployment)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, status, "the API server accepts the Deployment itself: %s", body)

	err = c.checkPodAdmission(ctx, ns, "runs-as-root")
	require.Error(t, err)
	t.Logf("API server: %v", err)
	assert.Contains(t, err.Error(), `violates PodSecurity "restricted:latest"`)
}
