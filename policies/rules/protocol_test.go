package rules

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// syncBuffer collects the pack's stderr while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPack builds the pack binary and starts it the way the engine does: the plugin prints its
// gRPC port on stdout and serves until it is killed.
func startPack(t *testing.T) (pulumirpc.AnalyzerClient, *syncBuffer) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH, so the pack binary cannot be built: skipping the protocol test")
	}
	bin := filepath.Join(t.TempDir(), "pack")
	build := exec.Command(goBin, "build", "-o", bin, "github.com/cutover-dev/cutover/policies")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./policies: %s", out)

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	// Cancelling the context kills the pack (the engine stops analyzers the same way).
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	portLine := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		portLine <- strings.TrimSpace(line)
	}()
	var port string
	select {
	case port = <-portLine:
	case <-time.After(30 * time.Second):
		t.Fatalf("the pack printed no port within 30s; stderr: %s", stderr.String())
	}
	require.NotEmpty(t, port, "stderr: %s", stderr.String())

	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn), stderr
}

func marshal(t *testing.T, props resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(props, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true})
	require.NoError(t, err)
	return s
}

func options(r Resource) *pulumirpc.AnalyzerResourceOptions {
	return &pulumirpc.AnalyzerResourceOptions{
		Protect: r.Protect, IgnoreChanges: r.IgnoreChanges,
		DeleteBeforeReplace: r.DeleteBeforeReplace, DeleteBeforeReplaceDefined: true,
		Parent: r.Parent,
	}
}

// diagnosticsToViolations strips the description the server puts before each message.
func diagnosticsToViolations(t *testing.T, ds []*pulumirpc.AnalyzeDiagnostic) []Violation {
	t.Helper()
	var out []Violation
	for _, d := range ds {
		msg, ok := strings.CutPrefix(d.GetMessage(), d.GetDescription()+"\n")
		require.True(t, ok, "message of %s does not start with its description: %q", d.GetPolicyName(), d.GetMessage())
		level := LevelAdvisory
		if d.GetEnforcementLevel() == pulumirpc.EnforcementLevel_MANDATORY {
			level = LevelMandatory
		}
		assert.Equal(t, PackName, d.GetPolicyPackName())
		assert.Equal(t, PackVersion, d.GetPolicyPackVersion())
		out = append(out, Violation{Policy: d.GetPolicyName(), Level: level, URN: d.GetUrn(), Message: msg})
	}
	return out
}

func TestPackBinaryReportsWhatCheckReports(t *testing.T) {
	client, stderr := startPack(t)
	ctx := context.Background()

	// A stack with resource-level and stack-level violations, advisory and mandatory, and the two
	// waived ones of the baseline.
	f := newFixture(t)
	f.del("worker-deployment", workerContainer+".readinessProbe") // K8S-01
	f.get("egress-eip-a").Protect = false                         // MIG-07 (resource) and MIG-08 (stack)
	f.set("traffic-record-heroku", "ttl", 30)                     // MIG-04
	f.remove("network-flow-log")                                  // NET-04, advisory
	f.set("workers-lt-general", "metadataOptions.httpTokens", "optional")

	_, err := client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{})
	require.NoError(t, err)
	_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: fxStack, Project: fxProject, Config: f.cfg, DryRun: true,
	})
	require.NoError(t, err)

	info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, PackName, info.GetName())
	assert.Equal(t, PackVersion, info.GetVersion())
	gotLevels := map[string]pulumirpc.EnforcementLevel{}
	for _, p := range info.GetPolicies() {
		gotLevels[p.GetName()] = p.GetEnforcementLevel()
		assert.NotEmpty(t, p.GetDescription(), p.GetName())
	}
	wantLevels := map[string]pulumirpc.EnforcementLevel{}
	for _, d := range Describe() {
		if d.Kind == KindPlan {
			continue
		}
		wantLevels[d.Name] = pulumirpc.EnforcementLevel_ADVISORY
		if d.Level == LevelMandatory {
			wantLevels[d.Name] = pulumirpc.EnforcementLevel_MANDATORY
		}
	}
	assert.Equal(t, wantLevels, gotLevels)

	var diagnostics []*pulumirpc.AnalyzeDiagnostic
	var stack []*pulumirpc.AnalyzerResource
	for _, r := range f.list() {
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{
			Type: r.Type, Urn: r.URN, Name: r.Name, Properties: marshal(t, r.Inputs), Options: options(r),
		})
		require.NoError(t, err, r.URN)
		diagnostics = append(diagnostics, resp.GetDiagnostics()...)
		deps := map[string]*pulumirpc.AnalyzerPropertyDependencies{}
		for k, urns := range r.PropertyDependencies {
			deps[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
		}
		stack = append(stack, &pulumirpc.AnalyzerResource{
			Type: r.Type, Urn: r.URN, Name: r.Name, Properties: marshal(t, r.stackProperties()), Options: options(r),
			Parent: r.Parent, Dependencies: r.Dependencies, PropertyDependencies: deps,
		})
	}
	resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: stack})
	require.NoError(t, err)
	diagnostics = append(diagnostics, resp.GetDiagnostics()...)
	fromBinary := diagnosticsToViolations(t, diagnostics)
	sortViolations(fromBinary)

	fromCheck, err := Check(f.list(), f.cfg)
	require.NoError(t, err)
	var engineVisible []Violation
	for _, v := range fromCheck {
		if v.Policy != PolicyEipRetainOnDelete { // a plan check: the engine cannot see retainOnDelete
			engineVisible = append(engineVisible, v)
		}
	}
	assert.Equal(t, engineVisible, fromBinary)
	assert.Equal(t, want(
		hit{pK8S01, "worker-deployment"}, hit{pMIG07, "egress-eip-a"}, hit{pMIG08, "network-nat-a"},
		hit{pMIG04, "traffic-record-heroku"}, hit{pNet04, "network-vpc"}, hit{pLT01, "workers-lt-general"},
	), hitsOf(fromBinary, f))

	// Waived violations are not reported but written to the pack's log.
	log := stderr.String()
	assert.Contains(t, log, "waived sg-03-egress-restricted on "+f.urn("workers-node-sg"))
	assert.Contains(t, log, "waived k8s-11-service-cluster-ip on "+f.urn("api-service"))
	names := make([]string, 0, len(fromBinary))
	for _, v := range fromBinary {
		names = append(names, v.Policy)
	}
	sort.Strings(names)
	assert.NotContains(t, names, pSG03)
	assert.NotContains(t, names, pK8S11)
}
