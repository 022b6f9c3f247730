package rollout

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	urnStack     = "urn:pulumi:production::cutover::pulumi:pulumi:Stack::cutover-production"
	urnRecordAWS = "urn:pulumi:production::cutover::cutover:traffic:Traffic$aws:route53/record:Record::traffic-record-aws"
	urnRecordHk  = "urn:pulumi:production::cutover::cutover:traffic:Traffic$aws:route53/record:Record::traffic-record-heroku"
	urnFormation = "urn:pulumi:production::cutover::cutover:heroku:HerokuSide$heroku:formation/formation:Formation::heroku-formation-web"
	urnEIP       = "urn:pulumi:production::cutover::cutover:egress:Egress$aws:ec2/eip:Eip::egress-eip-a"
	urnCheck     = "urn:pulumi:production::cutover::cutover:traffic:Traffic$aws:route53/healthCheck:HealthCheck::api-check-aws"
)

func stepEvent(op apitype.OpType, typ, urn string, detailed map[string]apitype.PropertyDiff, diffs ...string) events.EngineEvent {
	return events.EngineEvent{EngineEvent: apitype.EngineEvent{
		ResourcePreEvent: &apitype.ResourcePreEvent{
			Metadata: apitype.StepEventMetadata{Op: op, URN: urn, Type: typ, DetailedDiff: detailed, Diffs: diffs},
			Planning: true,
		},
	}}
}

func TestSummarizeEvents(t *testing.T) {
	t.Parallel()
	update := map[string]apitype.PropertyDiff{"weightedRoutingPolicies[0].weight": {Kind: apitype.DiffUpdate, InputDiff: true}}
	evs := []events.EngineEvent{
		{EngineEvent: apitype.EngineEvent{PreludeEvent: &apitype.PreludeEvent{Config: map[string]string{ConfigPercentKey: "50"}}}},
		stepEvent(apitype.OpSame, TypeStack, urnStack, nil),
		stepEvent(apitype.OpUpdate, TypeRecord, urnRecordAWS, update, "weightedRoutingPolicies"),
		// The same step reported twice (pre event replayed) is kept once.
		stepEvent(apitype.OpUpdate, TypeRecord, urnRecordAWS, update, "weightedRoutingPolicies"),
		// No detailed diff: fall back to the top-level keys, sorted.
		stepEvent(apitype.OpUpdate, TypeFormation, urnFormation, nil, "quantity", "size"),
		// A replacement arrives as three steps of one URN.
		stepEvent(apitype.OpCreateReplacement, "aws:ec2/eip:Eip", urnEIP,
			map[string]apitype.PropertyDiff{"domain": {Kind: apitype.DiffUpdateReplace}}, "domain"),
		stepEvent(apitype.OpReplace, "aws:ec2/eip:Eip", urnEIP,
			map[string]apitype.PropertyDiff{"domain": {Kind: apitype.DiffUpdateReplace}}, "domain"),
		stepEvent(apitype.OpDeleteReplaced, "aws:ec2/eip:Eip", urnEIP, nil),
		{EngineEvent: apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{
			Metadata: apitype.StepEventMetadata{Op: apitype.OpUpdate, URN: urnRecordHk, Type: TypeRecord},
		}}},
		{EngineEvent: apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{Message: "warning", Severity: "warning"}}},
		{EngineEvent: apitype.EngineEvent{SummaryEvent: &apitype.SummaryEvent{IsPreview: true}}},
	}
	got := SummarizeEvents(evs)
	want := []PreviewStep{
		{URN: urnStack, Type: TypeStack, Op: "same"},
		{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: []string{"weightedRoutingPolicies[0].weight"}},
		{URN: urnFormation, Type: TypeFormation, Op: "update", ChangedPaths: []string{"quantity", "size"}},
		{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "create-replacement", ChangedPaths: []string{"domain"}},
		{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "replace", ChangedPaths: []string{"domain"}},
		{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "delete-replaced"},
	}
	assert.Equal(t, want, got.Steps)
}

// TestSummarizeRecordedEventLog decodes engine events in the JSON form the CLI streams to the
// Automation API (one object per line) and checks the summary and the verdict of a phase move.
func TestSummarizeRecordedEventLog(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/preview-25-to-50.jsonl")
	require.NoError(t, err)
	defer f.Close()
	var evs []events.EngineEvent
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var ev apitype.EngineEvent
		require.NoError(t, json.Unmarshal(sc.Bytes(), &ev), "line %q", sc.Text())
		evs = append(evs, events.EngineEvent{EngineEvent: ev})
	}
	require.NoError(t, sc.Err())

	sum := SummarizeEvents(evs)
	require.Len(t, sum.Steps, 6)
	v := CheckPreview(sum, DefaultExpectedChanges())
	assert.True(t, v.OK(), "problems: %v", v.Problems())
	var updated []string
	for _, s := range v.Expected {
		updated = append(updated, s.URN+" "+s.ChangedPaths[0])
	}
	assert.Equal(t, []string{
		urnRecordAWS + " weightedRoutingPolicies[0].weight",
		urnRecordHk + " weightedRoutingPolicies[0].weight",
		urnFormation + " quantity",
	}, updated)
}

func TestCheckPreview(t *testing.T) {
	t.Parallel()
	weight := []string{"weightedRoutingPolicies[0].weight"}
	recordAWS := PreviewStep{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: weight}
	recordHk := PreviewStep{URN: urnRecordHk, Type: TypeRecord, Op: "update", ChangedPaths: weight}
	cases := []struct {
		name         string
		steps        []PreviewStep
		wantOK       bool
		wantExpected int
		wantProblems []string
	}{
		{
			name: "weights, formation and outputs",
			steps: []PreviewStep{
				{URN: urnStack, Type: TypeStack, Op: "update"},
				recordAWS, recordHk,
				{URN: urnFormation, Type: TypeFormation, Op: "update", ChangedPaths: []string{"quantity"}},
				{URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "same"},
				{URN: urnCheck, Type: "aws:route53/healthCheck:HealthCheck", Op: "read"},
			},
			wantOK: true, wantExpected: 4,
		},
		{
			name:   "whole list replaced counts as weights",
			steps:  []PreviewStep{{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: []string{"weightedRoutingPolicies"}}},
			wantOK: true, wantExpected: 1,
		},
		{
			name:         "replace",
			steps:        []PreviewStep{recordAWS, {URN: urnEIP, Type: "aws:ec2/eip:Eip", Op: "replace", ChangedPaths: []string{"domain"}}},
			wantProblems: []string{`unexpected replace aws:ec2/eip:Eip ` + urnEIP + ` [domain]: a phase change never does "replace"`},
		},
		{
			name:         "create",
			steps:        []PreviewStep{recordAWS, {URN: urnCheck, Type: "aws:route53/healthCheck:HealthCheck", Op: "create"}},
			wantProblems: []string{`a phase change never does "create"`},
		},
		{
			name:         "delete of an expected type",
			steps:        []PreviewStep{recordAWS, {URN: urnRecordHk, Type: TypeRecord, Op: "delete"}},
			wantProblems: []string{`unexpected delete ` + TypeRecord + " " + urnRecordHk + `: a phase change never does "delete"`},
		},
		{
			name:         "record ttl",
			steps:        []PreviewStep{{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: []string{"ttl", "weightedRoutingPolicies[0].weight"}}},
			wantProblems: []string{"changes ttl; allowed: weightedRoutingPolicies"},
		},
		{
			name:         "prefix must end at a path boundary",
			steps:        []PreviewStep{{URN: urnRecordAWS, Type: TypeRecord, Op: "update", ChangedPaths: []string{"weightedRoutingPoliciesX"}}},
			wantProblems: []string{"changes weightedRoutingPoliciesX"},
		},
		{
			name:         "formation size",
			steps:        []PreviewStep{recordAWS, {URN: urnFormation, Type: TypeFormation, Op: "update", ChangedPaths: []string{"quantity", "size"}}},
			wantProblems: []string{"changes size; allowed: quantity"},
		},
		{
			name:         "update of another type",
			steps:        []PreviewStep{recordAWS, {URN: urnCheck, Type: "aws:route53/healthCheck:HealthCheck", Op: "update", ChangedPaths: []string{"failureThreshold"}}},
			wantProblems: []string{"a phase change updates only aws:route53/record:Record, heroku:formation/formation:Formation, pulumi:pulumi:Stack"},
		},
		{
			name:         "record update without paths",
			steps:        []PreviewStep{{URN: urnRecordAWS, Type: TypeRecord, Op: "update"}},
			wantProblems: []string{"the engine reported no changed properties"},
		},
		{
			name:         "nothing reaches the records",
			steps:        []PreviewStep{{URN: urnStack, Type: TypeStack, Op: "same"}},
			wantProblems: []string{"missing: no update of aws:route53/record:Record"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := CheckPreview(PreviewSummary{Steps: tc.steps}, DefaultExpectedChanges())
			assert.Equal(t, tc.wantOK, v.OK())
			if tc.wantOK {
				assert.Len(t, v.Expected, tc.wantExpected)
				assert.Empty(t, v.Problems())
				return
			}
			problems := v.Problems()
			require.Len(t, problems, len(tc.wantProblems), "problems: %v", problems)
			for i, w := range tc.wantProblems {
				assert.Contains(t, problems[i], w)
			}
		})
	}
}
