package rules

import (
	"fmt"
	"strings"
)

// RulesMarkdown renders policies/RULES.md from Describe and the shipped waivers, so that the
// document cannot drift from the code (a test compares them; `go test ./policies/... -update`
// rewrites the file).
func RulesMarkdown() (string, error) {
	waivers, err := Waivers()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!-- Generated from policies/rules (Describe, waivers.yaml) by `go test ./policies/... -update`. Do not edit. -->\n\n")
	p("# Cutover policy pack: %s %s\n\n", PackName, PackVersion)
	p("The checks of POLICIES.md. `pulumi preview --policy-pack policies` (or a prebuilt binary: `go build -o pack ./policies`) runs the\n")
	p("resource and stack policies; `rules.Check` runs the same policies offline on the plan's recorded graph, plus the plan checks the engine\n")
	p("cannot see. Every policy carries its own enforcement level: a mandatory violation fails the preview, and a mandatory resource\n")
	p("policy also blocks its step during `up` (stack policies run after the steps of an `up`, so they gate in preview).\n\n")
	p("Kinds: **resource** runs on each resource's inputs; **stack** runs once on every resource's outputs and follows references\n")
	p("(known IDs, or the dependencies the engine records when IDs are still unknown); **plan** is a function over recorded graphs\n")
	p("(`CheckRetainOnDelete`, `CheckPhaseDiff`, `CheckAllowlist`).\n\n")
	p("Values: an unknown value (an output not yet known during a preview) is never a violation; an absent value means the provider's\n")
	p("default, which for most settings here is the unsafe one (each rule says which default it assumes). An absent\n")
	p("`cutover:awsTrafficPercent` is read as the program's default 0 where the rule compares weights (MIG-02), and as \"traffic may be on\n")
	p("AWS\" where the rule protects traffic (MIG-04, MIG-11).\n\n")
	p("| id | policy | level | kind | resources | rule |\n|---|---|---|---|---|---|\n")
	for _, info := range Describe() {
		kinds := make([]string, len(info.Types))
		for i, t := range info.Types {
			kinds[i] = t[strings.LastIndex(t, ":")+1:]
		}
		p("| %s | `%s` | %s | %s | %s | %s |\n", info.ID, info.Name, info.Level, info.Kind, strings.Join(kinds, ", "), escapeCell(info.Description))
	}
	p("\n## Deliberate waivers (policies/rules/waivers.yaml)\n\n")
	p("A waived violation is not reported to the engine (the pack writes it to its log, which the engine records) and is listed by\n")
	p("`rules.CheckReport` in `Report.Waived`; `rules.Check` returns the active violations only. SG-03 and K8S-11 are not rows of\n")
	p("POLICIES.md: they are the advisory rules these two waivers waive, so that each waiver is a visible decision rather than a note.\n\n")
	p("| policy | applies to | reason |\n|---|---|---|\n")
	for _, w := range waivers {
		p("| `%s` | %s | %s |\n", w.Policy, escapeCell(describeMatch(w.Match)), escapeCell(strings.Join(strings.Fields(w.Reason), " ")))
	}
	return b.String(), nil
}

func describeMatch(m WaiverMatch) string {
	var parts []string
	if len(m.Types) > 0 {
		parts = append(parts, "types "+backticks(m.Types))
	}
	if m.Name != "" {
		parts = append(parts, "name `"+m.Name+"`")
	}
	if m.Parent != "" {
		parts = append(parts, "parent named `"+m.Parent+"`")
	}
	if m.ParentType != "" {
		parts = append(parts, "parent of type `"+m.ParentType+"`")
	}
	return strings.Join(parts, "; ")
}

func backticks(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "`" + x + "`"
	}
	return strings.Join(out, ", ")
}

func escapeCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
