package rules

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

//go:embed waivers.yaml
var waiversYAML []byte

// Waiver is one deliberate exception, read from the waivers.yaml shipped inside the pack.
type Waiver struct {
	// Policy is the name of the waived policy.
	Policy string `json:"policy"`
	// Match selects the resources the waiver covers.
	Match WaiverMatch `json:"match"`
	// Reason says why the exception is safe; it is shown wherever the waiver applies.
	Reason string `json:"reason"`
}

// WaiverMatch selects resources. Every non-empty field must match; "*" matches any run of
// characters and "{publicService}" stands for StackConfig.PublicService (never matching while
// that is unknown).
type WaiverMatch struct {
	// Types are type tokens; the resource's type must match one of them.
	Types []string `json:"types,omitempty"`
	// Name matches the resource's name (the last part of its URN).
	Name string `json:"name,omitempty"`
	// Parent matches the name of the resource's parent.
	Parent string `json:"parent,omitempty"`
	// ParentType matches the type token of the resource's parent.
	ParentType string `json:"parentType,omitempty"`
}

type waiverFile struct {
	Waivers []Waiver `json:"waivers"`
}

// subject is what a waiver can see of a resource: the URN parts and its parent's.
type subject struct {
	urn, typ, name, parentName, parentType string
}

func subjectOf(resourceURN, typ, name, parentURN string) subject {
	if typ == "" {
		typ = typeOfURN(resourceURN)
	}
	if name == "" {
		name = nameOfURN(resourceURN)
	}
	return subject{urn: resourceURN, typ: typ, name: name, parentName: nameOfURN(parentURN), parentType: typeOfURN(parentURN)}
}

var embeddedWaivers, embeddedWaiversErr = parseWaivers(waiversYAML)

// Waivers returns the waivers shipped with the pack.
func Waivers() ([]Waiver, error) {
	return append([]Waiver(nil), embeddedWaivers...), embeddedWaiversErr
}

// parseWaivers decodes strictly (an unknown field is a typo that would silently widen or narrow a
// waiver) and checks that each entry names a policy of the pack, gives a reason and selects
// something.
func parseWaivers(data []byte) ([]Waiver, error) {
	var f waiverFile
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		return nil, fmt.Errorf("waivers.yaml: %w", err)
	}
	known := map[string]bool{}
	for _, r := range registry() {
		known[r.name] = true
	}
	var errs []error
	for i, w := range f.Waivers {
		if !known[w.Policy] {
			errs = append(errs, fmt.Errorf("waivers.yaml: entry %d: policy %q is not a policy of the pack", i, w.Policy))
		}
		if strings.TrimSpace(w.Reason) == "" {
			errs = append(errs, fmt.Errorf("waivers.yaml: entry %d (%s): reason is empty; a waiver must say why", i, w.Policy))
		}
		m := w.Match
		if len(m.Types) == 0 && m.Name == "" && m.Parent == "" && m.ParentType == "" {
			errs = append(errs, fmt.Errorf("waivers.yaml: entry %d (%s): match is empty; it would waive the policy everywhere", i, w.Policy))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f.Waivers, nil
}

// waiverFor returns the first waiver covering a violation of policy on s, or nil.
func waiverFor(waivers []Waiver, sc StackConfig, policy string, s subject) *Waiver {
	for i := range waivers {
		w := &waivers[i]
		if w.Policy != policy {
			continue
		}
		m := w.Match
		if len(m.Types) > 0 && !anyGlob(m.Types, s.typ, sc) {
			continue
		}
		if m.Name != "" && !glob(m.Name, s.name, sc) {
			continue
		}
		if m.Parent != "" && !glob(m.Parent, s.parentName, sc) {
			continue
		}
		if m.ParentType != "" && !glob(m.ParentType, s.parentType, sc) {
			continue
		}
		return w
	}
	return nil
}

func anyGlob(patterns []string, s string, sc StackConfig) bool {
	for _, p := range patterns {
		if glob(p, s, sc) {
			return true
		}
	}
	return false
}

// glob matches s against pattern where "*" is any run of characters (type tokens contain "/",
// so path.Match does not fit). Placeholders are expanded first.
func glob(pattern, s string, sc StackConfig) bool {
	if strings.Contains(pattern, publicServicePlaceholder) {
		if sc.PublicService == "" {
			return false
		}
		pattern = strings.ReplaceAll(pattern, publicServicePlaceholder, sc.PublicService)
	}
	if s == "" {
		return false
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// waivedSink is implemented by the managers of Check; the engine's manager is not one, so there
// a waived violation goes to the pack's log (the engine records plugin stderr).
type waivedSink interface {
	ReportWaived(message, urn, reason string)
}

func logWaived(policy, message, resourceURN, reason string) {
	fmt.Fprintf(os.Stderr, "waived %s on %s: %s (reason: %s)\n", policy, resourceURN, message,
		strings.Join(strings.Fields(reason), " "))
}
