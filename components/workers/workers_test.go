package workers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

const (
	typeRole       = "aws:iam/role:Role"
	typeAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeLT         = "aws:ec2/launchTemplate:LaunchTemplate"
	typeNodeGroup  = "aws:eks/nodeGroup:NodeGroup"
)

func basePools() map[string]Pool {
	return map[string]Pool{
		"general": {
			InstanceTypes: []string{"m6i.large", "m5.large"},
			MinSize:       3, MaxSize: 10, DesiredSize: 4,
			CapacityType: "ON_DEMAND",
			DiskSizeGiB:  80,
			Labels:       map[string]string{"workload": "api"},
		},
		"batch": {
			InstanceTypes: []string{"c7g.xlarge"},
			MinSize:       2, MaxSize: 6,
			CapacityType: "SPOT",
			Labels:       map[string]string{"workload": "batch"},
			Taints: []Taint{
				{Key: "dedicated", Value: "batch", Effect: "NoSchedule"},
				{Key: "example.com/spot", Effect: "PreferNoSchedule"},
				{Key: "drain", Value: "now", Effect: "NoExecute"},
			},
		},
	}
}

func baseArgs() *WorkersArgs {
	return &WorkersArgs{
		ClusterName: pulumi.String("cutover-prod-eks"),
		SubnetIDs:   pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		Pools:       basePools(),
		Tags:        map[string]string{"project": "cutover"},
	}
}

type runResult struct {
	resources      mockmon.Records
	nodeGroupNames internals.UnsafeAwaitOutputResult
	roleARN        internals.UnsafeAwaitOutputResult
	asgNames       internals.UnsafeAwaitOutputResult
}

func runWorkers(t *testing.T, name string, args *WorkersArgs) (runResult, error) {
	t.Helper()
	mon := newMonitor()
	var res runResult
	err := mon.Run(func(ctx *pulumi.Context) error {
		w, err := NewWorkers(ctx, name, args)
		if err != nil {
			return err
		}
		// Awaited in the program body, asserted after RunErr returns.
		if res.nodeGroupNames, err = internals.UnsafeAwaitOutput(ctx.Context(), w.NodeGroupNames); err != nil {
			return err
		}
		if res.asgNames, err = internals.UnsafeAwaitOutput(ctx.Context(), w.AutoscalingGroupNames); err != nil {
			return err
		}
		res.roleARN, err = internals.UnsafeAwaitOutput(ctx.Context(), w.RoleARN)
		return err
	})
	res.resources = mon.Sorted()
	return res, err
}

func mustRun(t *testing.T, name string, args *WorkersArgs) runResult {
	t.Helper()
	res, err := runWorkers(t, name, args)
	require.NoError(t, err)
	return res
}

func componentURN(name string) string {
	return "urn:pulumi:test::cutover::" + TypeToken + "::" + name
}

func childURN(typ, name string) string {
	return "urn:pulumi:test::cutover::" + TypeToken + "$" + typ + "::" + name
}

func TestGraphShape(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	counts := map[string]int{}
	for _, r := range res.resources {
		counts[r.Type]++
		if r.Type == TypeToken {
			assert.Equal(t, "prod", r.Name)
			continue
		}
		assert.Equal(t, componentURN("prod"), r.Parent, "%s %s parent", r.Type, r.Name)
	}
	assert.Equal(t, map[string]int{
		TypeToken:      1,
		typeRole:       1,
		typeAttachment: 3,
		typeLT:         2,
		typeNodeGroup:  2,
	}, counts)
	for _, pool := range []string{"batch", "general"} {
		res.resources.One(t, typeLT, "prod-lt-"+pool)
		res.resources.One(t, typeNodeGroup, "prod-ng-"+pool)
	}

	assert.Equal(t, map[string]string{"batch": "prod-ng-batch-fake", "general": "prod-ng-general-fake"}, res.nodeGroupNames.Value)
	assert.Equal(t, "arn:aws:iam::123456789012:role/prod-role", res.roleARN.Value)
	// The Auto Scaling group EKS reports for each node group (resources[0].autoscalingGroups[0]).
	assert.Equal(t, map[string]string{"batch": "eks-prod-ng-batch-fake-asg", "general": "eks-prod-ng-general-fake-asg"}, res.asgNames.Value)
}

func TestNodeRole(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	role := res.resources.One(t, typeRole, "prod-role")
	var trust trustDocument
	require.NoError(t, json.Unmarshal([]byte(role.Input("assumeRolePolicy").(string)), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, map[string]string{"Service": "ec2.amazonaws.com"}, trust.Statement[0].Principal)
	assert.Equal(t, "sts:AssumeRole", trust.Statement[0].Action)

	attachments := res.resources.ByType(typeAttachment)
	require.Len(t, attachments, 3, "exactly three managed policies on the node role")
	got := map[string]string{}
	for _, a := range attachments {
		got[a.Name] = a.Input("policyArn").(string)
		assert.Equal(t, "prod-role", a.Input("role"))
	}
	assert.Equal(t, map[string]string{
		"prod-role-AmazonEKSWorkerNodePolicy":          "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
		"prod-role-AmazonEKS_CNI_Policy":               "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
		"prod-role-AmazonEC2ContainerRegistryReadOnly": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
	}, got)
}

func TestLaunchTemplate(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	cases := []struct {
		pool     string
		wantDisk float64
	}{
		{pool: "general", wantDisk: 80},
		{pool: "batch", wantDisk: 50}, // default
	}
	for _, tc := range cases {
		t.Run(tc.pool, func(t *testing.T) {
			lt := res.resources.One(t, typeLT, "prod-lt-"+tc.pool)

			assert.Equal(t, map[string]any{
				"httpTokens":              "required",
				"httpPutResponseHopLimit": float64(2),
				"httpEndpoint":            "enabled",
			}, lt.Input("metadataOptions"), "LT-01")

			assert.Equal(t, []any{map[string]any{
				"deviceName": "/dev/xvda",
				"ebs": map[string]any{
					"volumeSize":          tc.wantDisk,
					"volumeType":          "gp3",
					"encrypted":           "true",
					"deleteOnTermination": "true",
				},
			}}, lt.Input("blockDeviceMappings"), "LT-03")

			// LT-02: nothing in the template asks for a public IP.
			if nis, ok := lt.Input("networkInterfaces").([]any); ok {
				for _, ni := range nis {
					assert.NotEqual(t, "true", ni.(map[string]any)["associatePublicIpAddress"])
				}
			}
			// The node group owns these; EKS rejects a template that sets some of them.
			for _, forbidden := range []string{"userData", "instanceType", "imageId", "iamInstanceProfile", "keyName"} {
				assert.Nil(t, lt.Input(forbidden), "%s must not be set", forbidden)
			}

			specs := lt.Input("tagSpecifications").([]any)
			var kinds []string
			for _, s := range specs {
				spec := s.(map[string]any)
				kinds = append(kinds, spec["resourceType"].(string))
				assert.Equal(t, map[string]any{
					"project":          "cutover",
					"Name":             "prod-" + tc.pool,
					"cutover.dev/pool": tc.pool,
				}, spec["tags"])
			}
			assert.ElementsMatch(t, []string{"instance", "volume"}, kinds)
			assert.Equal(t, map[string]any{"project": "cutover"}, lt.Input("tags"))
		})
	}
}

func TestNodeGroups(t *testing.T) {
	t.Parallel()
	res := mustRun(t, "prod", baseArgs())

	general := res.resources.One(t, typeNodeGroup, "prod-ng-general")
	batch := res.resources.One(t, typeNodeGroup, "prod-ng-batch")

	for _, ng := range []*mockmon.Recorded{general, batch} {
		assert.Equal(t, "cutover-prod-eks", ng.Input("clusterName"))
		assert.Equal(t, "arn:aws:iam::123456789012:role/prod-role", ng.Input("nodeRoleArn"))
		assert.Equal(t, []any{"subnet-a", "subnet-b"}, ng.Input("subnetIds"))
		assert.Equal(t, map[string]any{"maxUnavailable": float64(1)}, ng.Input("updateConfig"), "EKS-05")
		assert.Contains(t, ng.IgnoreChanges, "scalingConfig.desiredSize")
		assert.Nil(t, ng.Input("version"), "follows the cluster version when KubernetesVersion is empty")
		assert.Nil(t, ng.Input("remoteAccess"), "EKS-04: no SSH key")
		assert.Equal(t, map[string]any{
			"project":                                    "cutover",
			"k8s.io/cluster-autoscaler/enabled":          "true",
			"k8s.io/cluster-autoscaler/cutover-prod-eks": "owned",
		}, ng.Input("tags"))
		for _, policy := range nodePolicies {
			assert.Contains(t, ng.Dependencies, childURN(typeAttachment, "prod-role-"+policy))
		}
	}

	// Each pool's node group runs its own pool's template, at the template's latest version.
	generalLT := res.resources.One(t, typeLT, "prod-lt-general")
	batchLT := res.resources.One(t, typeLT, "prod-lt-batch")
	require.NotEqual(t, generalLT.ID, batchLT.ID)
	assert.Equal(t, map[string]any{"id": generalLT.ID, "version": "3"}, general.Input("launchTemplate"))
	assert.Equal(t, map[string]any{"id": batchLT.ID, "version": "3"}, batch.Input("launchTemplate"))

	assert.Equal(t, []any{"m6i.large", "m5.large"}, general.Input("instanceTypes"))
	assert.Equal(t, "ON_DEMAND", general.Input("capacityType"))
	assert.Equal(t, "AL2023_x86_64_STANDARD", general.Input("amiType"))
	assert.Equal(t, map[string]any{"minSize": float64(3), "maxSize": float64(10), "desiredSize": float64(4)}, general.Input("scalingConfig"))
	assert.Equal(t, map[string]any{"workload": "api", "cutover.dev/pool": "general"}, general.Input("labels"))
	assert.Nil(t, general.Input("taints"))

	assert.Equal(t, []any{"c7g.xlarge"}, batch.Input("instanceTypes"))
	assert.Equal(t, "SPOT", batch.Input("capacityType"))
	assert.Equal(t, "AL2023_ARM_64_STANDARD", batch.Input("amiType"))
	assert.Equal(t, map[string]any{"minSize": float64(2), "maxSize": float64(6), "desiredSize": float64(2)}, batch.Input("scalingConfig"), "desired defaults to min")
	assert.Equal(t, map[string]any{"workload": "batch", "cutover.dev/pool": "batch"}, batch.Input("labels"))
	assert.Equal(t, []any{
		map[string]any{"key": "dedicated", "value": "batch", "effect": "NO_SCHEDULE"},
		map[string]any{"key": "example.com/spot", "effect": "PREFER_NO_SCHEDULE"},
		map[string]any{"key": "drain", "value": "now", "effect": "NO_EXECUTE"},
	}, batch.Input("taints"))
}

func TestPoolLabelRepeatedWithSameValue(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	p := args.Pools["general"]
	p.Labels = map[string]string{PoolLabel: "general", "workload": "api"}
	args.Pools["general"] = p
	res := mustRun(t, "prod", args)
	ng := res.resources.One(t, typeNodeGroup, "prod-ng-general")
	assert.Equal(t, map[string]any{"workload": "api", "cutover.dev/pool": "general"}, ng.Input("labels"))
}

func TestKubernetesVersionPinned(t *testing.T) {
	t.Parallel()
	args := baseArgs()
	args.KubernetesVersion = "1.32"
	res := mustRun(t, "prod", args)
	for _, ng := range res.resources.ByType(typeNodeGroup) {
		assert.Equal(t, "1.32", ng.Input("version"), ng.Name)
	}
}

func TestNamesStableWhenPoolAdded(t *testing.T) {
	t.Parallel()
	names := func(pools map[string]Pool) map[string]bool {
		args := baseArgs()
		args.Pools = pools
		out := map[string]bool{}
		for _, r := range mustRun(t, "prod", args).resources {
			out[r.Type+"::"+r.Name] = true
		}
		return out
	}
	before := names(basePools())
	grown := basePools()
	grown["aaa-first"] = Pool{InstanceTypes: []string{"m6i.large"}, MinSize: 2, MaxSize: 2}
	after := names(grown)
	for n := range before {
		assert.True(t, after[n], "%s must survive adding a pool that sorts first", n)
	}
	assert.True(t, after[typeNodeGroup+"::prod-ng-aaa-first"])
}

func TestValidation(t *testing.T) {
	t.Parallel()
	withPool := func(f func(p *Pool)) func(a *WorkersArgs) {
		return func(a *WorkersArgs) {
			p := a.Pools["general"]
			f(&p)
			a.Pools["general"] = p
		}
	}
	cases := []struct {
		name    string
		mutate  func(a *WorkersArgs)
		wantErr []string
	}{
		{name: "no pools", mutate: func(a *WorkersArgs) { a.Pools = nil }, wantErr: []string{"Pools: no pools given"}},
		{name: "missing cluster", mutate: func(a *WorkersArgs) { a.ClusterName = nil }, wantErr: []string{"ClusterName: is required"}},
		{name: "missing subnets", mutate: func(a *WorkersArgs) { a.SubnetIDs = nil }, wantErr: []string{"SubnetIDs: is required"}},
		{name: "one subnet", mutate: func(a *WorkersArgs) { a.SubnetIDs = pulumi.ToStringArray([]string{"subnet-a"}) }, wantErr: []string{"SubnetIDs: got 1 subnet(s)"}},
		{name: "bad version", mutate: func(a *WorkersArgs) { a.KubernetesVersion = "1.33.0" }, wantErr: []string{"KubernetesVersion: '1.33.0'"}},
		{name: "pool name uppercase", mutate: func(a *WorkersArgs) { a.Pools["General"] = a.Pools["general"] }, wantErr: []string{"Pools: 'General' is not a valid pool name"}},
		{name: "pool name underscore", mutate: func(a *WorkersArgs) { a.Pools["gp_1"] = a.Pools["general"] }, wantErr: []string{"Pools: 'gp_1' is not a valid pool name"}},
		{name: "pool name too long", mutate: func(a *WorkersArgs) { a.Pools[strings.Repeat("a", 64)] = a.Pools["general"] }, wantErr: []string{"is not a valid pool name"}},
		{name: "min above max", mutate: withPool(func(p *Pool) { p.MinSize, p.MaxSize, p.DesiredSize = 5, 4, 4 }), wantErr: []string{"Pools[general].MaxSize: 4 is below MinSize 5"}},
		{name: "desired above max", mutate: withPool(func(p *Pool) { p.DesiredSize = 11 }), wantErr: []string{"Pools[general].DesiredSize: 11 is outside [MinSize, MaxSize] = [3, 10]"}},
		{name: "desired below min", mutate: withPool(func(p *Pool) { p.DesiredSize = 1 }), wantErr: []string{"Pools[general].DesiredSize: 1 is outside"}},
		{name: "min below two", mutate: withPool(func(p *Pool) { p.MinSize, p.DesiredSize = 1, 1 }), wantErr: []string{"Pools[general].MinSize: 1 is too small: must be at least 2", "EKS-05"}},
		{name: "no instance types", mutate: withPool(func(p *Pool) { p.InstanceTypes = nil }), wantErr: []string{"Pools[general].InstanceTypes: is empty"}},
		{name: "bad instance type", mutate: withPool(func(p *Pool) { p.InstanceTypes = []string{"large"} }), wantErr: []string{"InstanceTypes: 'large' is not a valid EC2 instance type"}},
		{name: "duplicate instance type", mutate: withPool(func(p *Pool) { p.InstanceTypes = []string{"m6i.large", "m6i.large"} }), wantErr: []string{"'m6i.large' is listed twice"}},
		{name: "mixed architectures", mutate: withPool(func(p *Pool) { p.InstanceTypes = []string{"m6i.large", "m7g.large"} }), wantErr: []string{"mixes Graviton (arm64) and x86_64"}},
		{name: "bad capacity type", mutate: withPool(func(p *Pool) { p.CapacityType = "spot" }), wantErr: []string{"Pools[general].CapacityType: 'spot' is not a valid capacity type: must be ON_DEMAND or SPOT"}},
		{name: "small disk", mutate: withPool(func(p *Pool) { p.DiskSizeGiB = 10 }), wantErr: []string{"Pools[general].DiskSizeGiB: 10 is out of range: must be between 20 and 16384 GiB"}},
		{name: "bad taint effect", mutate: withPool(func(p *Pool) { p.Taints = []Taint{{Key: "k", Effect: "NO_SCHEDULE"}} }), wantErr: []string{"Pools[general].Taints: 'NO_SCHEDULE' is not a valid taint effect"}},
		{name: "empty taint effect", mutate: withPool(func(p *Pool) { p.Taints = []Taint{{Key: "k"}} }), wantErr: []string{"Pools[general].Taints: '' is not a valid taint effect"}},
		{name: "bad taint key", mutate: withPool(func(p *Pool) { p.Taints = []Taint{{Key: "", Effect: "NoSchedule"}} }), wantErr: []string{"Pools[general].Taints: key ''"}},
		{name: "duplicate taint", mutate: withPool(func(p *Pool) {
			p.Taints = []Taint{{Key: "k", Value: "a", Effect: "NoSchedule"}, {Key: "k", Value: "b", Effect: "NoSchedule"}}
		}), wantErr: []string{"key 'k' with effect NoSchedule is listed twice"}},
		{name: "reserved label", mutate: withPool(func(p *Pool) { p.Labels = map[string]string{"node-role.kubernetes.io/worker": ""} }), wantErr: []string{"Labels: key 'node-role.kubernetes.io/worker' is in a namespace reserved"}},
		{name: "pool label overridden", mutate: withPool(func(p *Pool) { p.Labels = map[string]string{PoolLabel: "other"} }), wantErr: []string{"key 'cutover.dev/pool' is set by the component to the pool name 'general', not 'other'"}},
		{name: "bad label value", mutate: withPool(func(p *Pool) { p.Labels = map[string]string{"team": "a b"} }), wantErr: []string{"Labels: value 'a b' of 'team' is not a valid label value"}},
		{name: "reserved tag", mutate: func(a *WorkersArgs) { a.Tags = map[string]string{"AWS:x": "y"} }, wantErr: []string{"Tags: 'AWS:x'"}},
		{name: "every problem at once", mutate: func(a *WorkersArgs) {
			a.Pools = map[string]Pool{"bad_name": {MinSize: 1, MaxSize: 0, CapacityType: "RESERVED", DiskSizeGiB: 5}}
		}, wantErr: []string{
			"'bad_name' is not a valid pool name", "Pools[bad_name].InstanceTypes: is empty", "MinSize: 1 is too small",
			"MaxSize: 0 is below MinSize 1", "DesiredSize: 1 is outside", "'RESERVED' is not a valid capacity type", "DiskSizeGiB: 5",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := baseArgs()
			tc.mutate(args)
			res, err := runWorkers(t, "prod", args)
			require.Error(t, err)
			for _, want := range tc.wantErr {
				assert.ErrorContains(t, err, want)
			}
			assert.Empty(t, res.resources, "nothing may be registered when args are invalid")
		})
	}
}

func TestTaintEffect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want, wantErr string
	}{
		{in: "NoSchedule", want: "NO_SCHEDULE"},
		{in: "PreferNoSchedule", want: "PREFER_NO_SCHEDULE"},
		{in: "NoExecute", want: "NO_EXECUTE"},
		{in: "noschedule", wantErr: "'noschedule' is not a valid taint effect"},
		{in: "NO_EXECUTE", wantErr: "'NO_EXECUTE' is not a valid taint effect: must be NoSchedule, PreferNoSchedule or NoExecute"},
		{in: "", wantErr: "'' is not a valid taint effect"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := TaintEffect(tc.in)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	graviton := []struct {
		it   string
		want bool
	}{
		{"m7g.large", true}, {"c6gn.xlarge", true}, {"r8gd.2xlarge", true}, {"t4g.small", true},
		{"a1.large", true}, {"x2gd.xlarge", true}, {"im4gn.large", true},
		{"m6i.large", false}, {"g5.xlarge", false}, {"c7i-flex.large", false}, {"m5.large", false}, {"p5.48xlarge", false},
	}
	for _, tc := range graviton {
		assert.Equal(t, tc.want, isGraviton(tc.it), tc.it)
	}
	assert.Equal(t, "AL2023_ARM_64_STANDARD", amiType([]string{"m7g.large"}))
	assert.Equal(t, "AL2023_x86_64_STANDARD", amiType([]string{"m6i.large"}))

	tags := map[string]string{"project": "cutover"}
	got := nodeGroupTagMap(tags, "c1")
	assert.Equal(t, map[string]string{
		"project":                           "cutover",
		"k8s.io/cluster-autoscaler/enabled": "true",
		"k8s.io/cluster-autoscaler/c1":      "owned",
	}, got)
	assert.Len(t, tags, 1, "input map not mutated")

	trust, err := ec2TrustPolicy()
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, trust)
}

func TestWithDefaults(t *testing.T) {
	t.Parallel()
	args := &WorkersArgs{Pools: map[string]Pool{"p": {InstanceTypes: []string{"m6i.large"}, MinSize: 2, MaxSize: 5}}}
	d := args.withDefaults()
	p := d.Pools["p"]
	assert.Equal(t, "ON_DEMAND", p.CapacityType)
	assert.Equal(t, 50, p.DiskSizeGiB)
	assert.Equal(t, 2, p.DesiredSize)
	assert.NotNil(t, d.Tags)
	assert.Equal(t, "", args.Pools["p"].CapacityType, "caller's pool untouched")
	p.InstanceTypes[0] = "changed"
	assert.Equal(t, "m6i.large", args.Pools["p"].InstanceTypes[0], "caller's slice untouched")
}
