package rollout

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Resource types a phase change is allowed to update.
const (
	TypeRecord    = "aws:route53/record:Record"
	TypeFormation = "heroku:formation/formation:Formation"
	TypeStack     = "pulumi:pulumi:Stack"
)

// PreviewStep is one step the engine plans, reduced to what the safety check needs.
type PreviewStep struct {
	URN  string
	Type string
	// Op is the engine's operation: same, create, update, delete, replace, create-replacement,
	// delete-replaced, read, ...
	Op string
	// ChangedPaths are the property paths that differ (detailed diff keys such as
	// "weightedRoutingPolicies[0].weight", or top-level keys when the provider gives no detail).
	ChangedPaths []string
}

func (s PreviewStep) String() string {
	if len(s.ChangedPaths) == 0 {
		return fmt.Sprintf("%s %s %s", s.Op, s.Type, s.URN)
	}
	return fmt.Sprintf("%s %s %s [%s]", s.Op, s.Type, s.URN, strings.Join(s.ChangedPaths, ", "))
}

// PreviewSummary is every step of one preview, in the order the engine reported them.
type PreviewSummary struct {
	Steps []PreviewStep
}

// ExpectedChange describes an update a phase change may make.
type ExpectedChange struct {
	// Type is the resource type token.
	Type string
	// Paths are the property paths allowed to change; a changed path matches when it equals an
	// entry or continues it with "." or "[". Empty allows any path (used for the Stack resource,
	// whose only changes are its outputs).
	Paths []string
	// Required means the preview must contain at least one such update; a phase change that does
	// not reach the weighted records is a broken program, not a success.
	Required bool
}

// DefaultExpectedChanges returns the changes MIGRATION.md allows for a phase change: the two
// weighted records' weights (required), the Heroku web formation quantity, and stack outputs.
func DefaultExpectedChanges() []ExpectedChange {
	return []ExpectedChange{
		{Type: TypeRecord, Paths: []string{"weightedRoutingPolicies"}, Required: true},
		{Type: TypeFormation, Paths: []string{"quantity"}},
		{Type: TypeStack},
	}
}

// harmlessOps are steps that change nothing in the cloud: unchanged resources and reads of
// existing ones.
var harmlessOps = map[string]bool{"same": true, "read": true}

// Finding is a preview step that a phase change must not make, with the reason.
type Finding struct {
	Step   PreviewStep
	Reason string
}

// PreviewVerdict is the outcome of checking a preview against the expected changes.
type PreviewVerdict struct {
	// Expected are the allowed updates found.
	Expected []PreviewStep
	// Unexpected are the steps that make the preview unacceptable.
	Unexpected []Finding
	// Missing are the required update types the preview did not contain.
	Missing []string
}

// OK reports whether the preview contains only expected updates and every required one.
func (v PreviewVerdict) OK() bool { return len(v.Unexpected) == 0 && len(v.Missing) == 0 }

// Problems lists every reason the preview was refused, one line each.
func (v PreviewVerdict) Problems() []string {
	var out []string
	for _, f := range v.Unexpected {
		out = append(out, fmt.Sprintf("unexpected %s: %s", f.Step, f.Reason))
	}
	for _, typ := range v.Missing {
		out = append(out, fmt.Sprintf("missing: no update of %s; the config change did not reach the weighted records", typ))
	}
	return out
}

// CheckPreview sorts the steps of a preview into expected updates and findings.
func CheckPreview(sum PreviewSummary, expected []ExpectedChange) PreviewVerdict {
	var v PreviewVerdict
	byType := map[string]ExpectedChange{}
	for _, e := range expected {
		byType[e.Type] = e
	}
	updated := map[string]bool{}
	for _, step := range sum.Steps {
		if harmlessOps[step.Op] {
			continue
		}
		if step.Op == "update" {
			// Counted even when refused below: "missing" is for previews that never reach the
			// type at all, not for updates that change too much.
			updated[step.Type] = true
		}
		exp, known := byType[step.Type]
		switch {
		case step.Op != "update":
			v.Unexpected = append(v.Unexpected, Finding{step, fmt.Sprintf("a phase change never does %q", step.Op)})
		case !known:
			v.Unexpected = append(v.Unexpected, Finding{step, "a phase change updates only " + expectedTypes(expected)})
		default:
			if bad := disallowedPaths(step.ChangedPaths, exp.Paths); len(bad) > 0 {
				v.Unexpected = append(v.Unexpected, Finding{step, fmt.Sprintf("changes %s; allowed: %s",
					strings.Join(bad, ", "), strings.Join(exp.Paths, ", "))})
				continue
			}
			if len(exp.Paths) > 0 && len(step.ChangedPaths) == 0 {
				// Without the changed paths the update cannot be shown to be weight-only.
				v.Unexpected = append(v.Unexpected, Finding{step, "the engine reported no changed properties, so the update cannot be verified"})
				continue
			}
			v.Expected = append(v.Expected, step)
		}
	}
	for _, e := range expected {
		if e.Required && !updated[e.Type] {
			v.Missing = append(v.Missing, e.Type)
		}
	}
	return v
}

func expectedTypes(expected []ExpectedChange) string {
	types := make([]string, len(expected))
	for i, e := range expected {
		types[i] = e.Type
	}
	return strings.Join(types, ", ")
}

// disallowedPaths returns the changed paths not covered by any allowed prefix. An empty allow
// list allows everything.
func disallowedPaths(changed, allowed []string) []string {
	if len(allowed) == 0 {
		return nil
	}
	var bad []string
	for _, path := range changed {
		ok := slices.ContainsFunc(allowed, func(prefix string) bool {
			return path == prefix || strings.HasPrefix(path, prefix+".") || strings.HasPrefix(path, prefix+"[")
		})
		if !ok {
			bad = append(bad, path)
		}
	}
	return bad
}

// SummarizeEvents turns the engine events of a preview into a PreviewSummary. Only
// ResourcePreEvents describe planned steps; a replacement shows up as several of them
// (create-replacement, replace, delete-replaced) and each is kept, de-duplicated by URN and op.
func SummarizeEvents(evs []events.EngineEvent) PreviewSummary {
	var sum PreviewSummary
	seen := map[string]bool{}
	for _, ev := range evs {
		if ev.ResourcePreEvent == nil {
			continue
		}
		md := ev.ResourcePreEvent.Metadata
		key := md.URN + "\x00" + string(md.Op)
		if seen[key] {
			continue
		}
		seen[key] = true
		sum.Steps = append(sum.Steps, PreviewStep{
			URN:          md.URN,
			Type:         md.Type,
			Op:           string(md.Op),
			ChangedPaths: changedPaths(md.DetailedDiff, md.Diffs),
		})
	}
	return sum
}

// changedPaths prefers the detailed diff (full property paths) and falls back to the top-level
// keys, sorted so output and tests are stable.
func changedPaths(detailed map[string]apitype.PropertyDiff, keys []string) []string {
	var paths []string
	if len(detailed) > 0 {
		for path := range detailed {
			paths = append(paths, path)
		}
	} else {
		paths = append(paths, keys...)
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}
