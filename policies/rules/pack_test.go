package rules

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableLevels is the POLICIES.md table: id -> M or A. SG-03 and K8S-11 are the advisory rules
// behind the two deliberate waivers.
var tableLevels = map[string]string{
	"NET-01": "M", "NET-02": "M", "NET-03": "M", "NET-04": "A",
	"SG-01": "M", "SG-02": "A", "SG-03": "A",
	"LT-01": "M", "LT-02": "M", "LT-03": "M", "LT-04": "M",
	"EKS-01": "M", "EKS-02": "M", "EKS-03": "A", "EKS-04": "M", "EKS-05": "M",
	"IAM-01": "M", "IAM-02": "M",
	"K8S-01": "M", "K8S-02": "M", "K8S-03": "M", "K8S-04": "M", "K8S-05": "M", "K8S-06": "M",
	"K8S-07": "M", "K8S-08": "A", "K8S-09": "M", "K8S-10": "M", "K8S-11": "A",
	"MIG-01": "M", "MIG-02": "M", "MIG-03": "M", "MIG-04": "M", "MIG-05": "M", "MIG-06": "A",
	"MIG-07": "M", "MIG-08": "M", "MIG-09": "M", "MIG-10": "M", "MIG-11": "M", "MIG-12": "M",
}

// tableKinds is the R/S/T column for the rows the engine can see (T-only rows are plan checks).
var tableKinds = map[string][]string{
	"NET-02": {KindStack}, "NET-03": {KindStack}, "NET-04": {KindStack},
	"EKS-04": {KindResource, KindStack}, "K8S-04": {KindStack}, "K8S-06": {KindStack},
	"K8S-07": {KindStack}, "K8S-08": {KindStack}, "MIG-01": {KindStack}, "MIG-04": {KindStack},
	"MIG-05": {KindStack}, "MIG-06": {KindStack}, "MIG-07": {KindResource, KindPlan},
	"MIG-08": {KindStack}, "MIG-10": {KindPlan}, "MIG-11": {KindStack}, "MIG-12": {KindPlan},
}

func TestEveryRowHasPoliciesAtTheTableLevel(t *testing.T) {
	t.Parallel()
	seenIDs := map[string][]string{}
	names := map[string]bool{}
	for _, info := range Describe() {
		assert.False(t, names[info.Name], "duplicate policy name %s", info.Name)
		names[info.Name] = true
		assert.True(t, strings.HasPrefix(info.Name, strings.ToLower(info.ID)+"-"), "%s does not start with its id %s", info.Name, info.ID)
		want, ok := tableLevels[info.ID]
		require.True(t, ok, "%s: id %s is not in the table", info.Name, info.ID)
		wantLevel := map[string]string{"M": LevelMandatory, "A": LevelAdvisory}[want]
		assert.Equal(t, wantLevel, info.Level, "level of %s", info.Name)
		assert.NotEmpty(t, info.Description, info.Name)
		seenIDs[info.ID] = append(seenIDs[info.ID], info.Kind)
	}
	for id := range tableLevels {
		kinds, ok := seenIDs[id]
		require.True(t, ok, "row %s has no policy", id)
		wantKinds, ok := tableKinds[id]
		if !ok {
			wantKinds = []string{KindResource}
		}
		assert.ElementsMatch(t, wantKinds, kinds, "kinds of %s", id)
	}
}

func TestPoliciesCarryTheirOwnLevels(t *testing.T) {
	t.Parallel()
	byName := map[string]PolicyInfo{}
	for _, info := range Describe() {
		byName[info.Name] = info
	}
	policies := Policies(StackConfig{})
	engineVisible := 0
	for _, info := range Describe() {
		if info.Kind != KindPlan {
			engineVisible++
		}
	}
	require.Len(t, policies, engineVisible)
	for _, p := range policies {
		info := byName[p.Name()]
		want := policyx.EnforcementLevelAdvisory
		if info.Level == LevelMandatory {
			want = policyx.EnforcementLevelMandatory
		}
		assert.Equal(t, want, p.EnforcementLevel(), p.Name())
		switch p.(type) {
		case policyx.ResourceValidationPolicy:
			assert.Equal(t, KindResource, info.Kind, p.Name())
		case policyx.StackValidationPolicy:
			assert.Equal(t, KindStack, info.Kind, p.Name())
		default:
			t.Errorf("%s is neither a resource nor a stack policy", p.Name())
		}
	}
}

func TestNewPackReadsStackConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		config  map[string]string
		wantErr string
	}{
		{"phase and ladder", map[string]string{"cutover:awsTrafficPercent": "50", "cutover:phases": "[0,50,100]"}, ""},
		{"no config", map[string]string{}, ""},
		{"malformed percent", map[string]string{"cutover:awsTrafficPercent": "fifty"}, `cutover:awsTrafficPercent: "fifty" is not valid`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "cutover", Stack: "production", Config: tc.config})
			require.NoError(t, err)
			pack, err := NewPack(ctx)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, PackName, pack.Name())
			assert.Equal(t, PackVersion, pack.Version().String())
			assert.Len(t, pack.Policies(), len(Policies(StackConfig{})))
		})
	}
}

// The config NewPack read shows in what the policies report: at 50 on a [0,50,100] ladder the aws
// record must weigh 50, production makes an unprotected VPC a violation, and the public service
// both picks the API's rules and switches on its waiver.
func TestNewPackPoliciesUseTheConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Project: "cutover", Stack: "production",
		Config: map[string]string{
			"cutover:awsTrafficPercent": "50", "cutover:phases": "[0,50,100]", "cutover:services": f.cfg["cutover:services"],
		}})
	require.NoError(t, err)
	pack, err := NewPack(ctx)
	require.NoError(t, err)
	f.get("network-vpc").Protect = false
	got := map[string][]string{}
	for _, p := range pack.Policies() {
		rp, ok := p.(policyx.ResourceValidationPolicy)
		if !ok {
			continue
		}
		for _, r := range f.list() {
			m := &recorder{policy: p.Name(), report: &Report{}}
			require.NoError(t, rp.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: m, Resource: r.analyzerResource(r.Inputs)}))
			for _, v := range m.report.Violations {
				got[p.Name()] = append(got[p.Name()], r.Name+": "+v.Message)
			}
		}
	}
	assert.Len(t, got, 2, "%v", got)
	assert.Len(t, got[pMIG02], 2)
	assert.Contains(t, got[pMIG02][0], "cutover:awsTrafficPercent 50 means 50")
	assert.Len(t, got[pMIG07], 1)
	assert.Contains(t, got[pMIG07][0], "network-vpc")
}

func TestPulumiPolicyYAMLMatchesThePack(t *testing.T) {
	t.Parallel()
	proj, err := workspace.LoadPolicyPack("../PulumiPolicy.yaml")
	require.NoError(t, err)
	assert.Equal(t, "go", proj.Runtime.Name())
	assert.Equal(t, PackVersion, proj.Version)
}

func TestParseStackConfig(t *testing.T) {
	t.Parallel()
	sc, err := ParseStackConfig(map[string]string{
		"cutover:awsTrafficPercent":     "10",
		"cutover:phases":                "[0,10,100]",
		"cutover:natGatewayMode":        "single",
		"cutover:egressIpAllocationIds": `["eipalloc-1"]`,
		"cutover:apiHostname":           "api.cutover.example",
		"cutover:services":              `{"api":{"public":true,"image":"x:1"},"jobs":{}}`,
		"cutover:unrelated":             "ignored",
	})
	require.NoError(t, err)
	require.NotNil(t, sc.AWSTrafficPercent)
	assert.Equal(t, 10, *sc.AWSTrafficPercent)
	assert.Equal(t, []int{0, 10, 100}, sc.Phases)
	assert.Equal(t, "single", sc.NatGatewayMode)
	assert.Equal(t, []string{"eipalloc-1"}, sc.AdoptedAllocationIDs)
	assert.Equal(t, "api.cutover.example", sc.APIHostname)
	assert.Equal(t, "api", sc.PublicService)

	empty, err := ParseStackConfig(nil)
	require.NoError(t, err)
	assert.Nil(t, empty.AWSTrafficPercent)
	assert.Equal(t, DefaultPhases, empty.phases())
	assert.Equal(t, natModePerAZ, empty.natMode())
	assert.True(t, empty.mayCarryTraffic(), "absent percent is read as traffic on AWS for the gates")
	assert.Equal(t, 0, empty.percentOrDefault())

	_, err = ParseStackConfig(map[string]string{"cutover:awsTrafficPercent": "x", "cutover:phases": "y"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cutover:awsTrafficPercent")
	assert.Contains(t, err.Error(), "cutover:phases", "every malformed key is reported at once")
}

func TestIsProduction(t *testing.T) {
	t.Parallel()
	cases := []struct {
		stack, urn string
		want       bool
	}{
		{"production", "", true},
		{"production-eu", "", true},
		{"acme/cutover/production", "", true},
		{"staging", "", false},
		{"preproduction", "", false},
		{"", urnOf("production", "", typeVpc, "vpc"), true},
		{"", urnOf("dev", "", typeVpc, "vpc"), false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, StackConfig{Stack: tc.stack}.isProduction(tc.urn), "%q %q", tc.stack, tc.urn)
	}
}
