package rules

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// policyDocument is the part of an IAM JSON policy the rules read. Action, Resource and Principal
// values may be a string or a list in IAM's grammar; anyStrings flattens them.
type policyDocument struct {
	Statement []policyStatement
}

type policyStatement struct {
	Sid          string
	Effect       string
	Action       any
	NotAction    any
	Resource     any
	NotResource  any
	Principal    any
	NotPrincipal any
	Condition    map[string]map[string]any
}

// UnmarshalJSON accepts Statement as a single object or a list, as IAM does.
func (d *policyDocument) UnmarshalJSON(b []byte) error {
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw.Statement) == 0 {
		return nil
	}
	if raw.Statement[0] == '{' {
		var one policyStatement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return err
		}
		d.Statement = []policyStatement{one}
		return nil
	}
	return json.Unmarshal(raw.Statement, &d.Statement)
}

func (s policyStatement) label(i int) string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %q", s.Sid)
	}
	return fmt.Sprintf("statement %d", i)
}

func anyStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, anyStrings(e)...)
		}
		return out
	}
	return nil
}

// parseDocument reads a policy that is a JSON string or, from programs that pass an object, a
// map. ok is false when the document is unknown (computed) or absent.
func parseDocument(v property.Value) (doc policyDocument, ok bool, err error) {
	if v.IsComputed() || v.IsNull() {
		return doc, false, nil
	}
	var data []byte
	if s, isStr := str(v); isStr {
		if strings.TrimSpace(s) == "" {
			return doc, false, nil
		}
		data = []byte(s)
	} else {
		if v.HasComputed() {
			return doc, false, nil
		}
		if data, err = json.Marshal(plain(v)); err != nil {
			return doc, false, err
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return doc, false, err
	}
	return doc, true, nil
}

// plain converts a known property value to plain Go values for encoding/json.
func plain(v property.Value) any {
	switch {
	case v.IsMap():
		m := map[string]any{}
		for k, e := range v.AsMap().All {
			m[k] = plain(e)
		}
		return m
	case v.IsArray():
		var a []any
		for _, e := range elems(v) {
			a = append(a, plain(e))
		}
		return a
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	}
	return nil
}

// readVerbs are action name prefixes that only read; granting them on "*" is common and, for
// most, unavoidable (Describe and List calls do not support resource-level permissions).
var readVerbs = []string{"Describe", "List", "Get", "BatchGet", "Search", "Lookup", "Query", "Scan", "View"}

// unscopableWrites are write actions AWS does not allow to be scoped to resources, so "*" is the
// only possible Resource. Keep this list to actions checked against the service authorization
// reference.
var unscopableWrites = []string{
	"cloudwatch:putmetricdata", "xray:puttracesegments", "xray:puttelemetryrecords",
	"kms:createkey", "acm:requestcertificate",
}

// scopingConditionKeys: a condition on one of these narrows a Resource "*" statement to the
// resources it really needs (tag-based or account-based scoping).
var scopingConditionKeys = []string{"ResourceTag/", "RequestTag/", "ResourceAccount", "ResourceOrgID", "SourceArn", "SourceAccount", "ViaService", "PassedToService"}

func isReadAction(action string) bool {
	_, verb, ok := strings.Cut(action, ":")
	if !ok {
		return false
	}
	verb = strings.TrimSuffix(verb, "*")
	for _, r := range readVerbs {
		if strings.HasPrefix(verb, r) {
			return true
		}
	}
	return false
}

func (s policyStatement) hasScopingCondition() bool {
	for _, byKey := range s.Condition {
		for key := range byKey {
			for _, k := range scopingConditionKeys {
				if strings.Contains(key, k) {
					return true
				}
			}
		}
	}
	return false
}

// documentViolations applies IAM-01 to one policy document.
func documentViolations(what string, doc policyDocument) []string {
	var out []string
	for i, s := range doc.Statement {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		actions := anyStrings(s.Action)
		if slices.Contains(actions, "*") {
			out = append(out, fmt.Sprintf("%s %s allows Action \"*\": grant the actions the workload calls", what, s.label(i)))
			continue
		}
		if s.NotAction != nil {
			out = append(out, fmt.Sprintf("%s %s allows NotAction %v, which grants every other action", what, s.label(i), anyStrings(s.NotAction)))
			continue
		}
		allResources := slices.Contains(anyStrings(s.Resource), "*") || s.NotResource != nil
		if !allResources || s.hasScopingCondition() {
			continue
		}
		var broad []string
		for _, a := range actions {
			if !isReadAction(a) && !slices.Contains(unscopableWrites, strings.ToLower(a)) {
				broad = append(broad, a)
			}
		}
		if len(broad) > 0 {
			sort.Strings(broad)
			out = append(out, fmt.Sprintf("%s %s allows write actions %v on Resource \"*\": scope them to the ARNs they need (or a tag condition)", what, s.label(i), broad))
		}
	}
	return out
}

// IAM-01.
func checkNoWildcardPermissions(_ *env, r policyx.AnalyzerResource) []string {
	type doc struct {
		what string
		v    property.Value
	}
	var docs []doc
	switch r.Type {
	case typeIamPolicy, typeIamRolePolicy:
		docs = append(docs, doc{fmt.Sprintf("policy %q", r.Name), lookup(r.Properties, "policy")})
	case typeIamRole:
		for i, p := range elems(lookup(r.Properties, "inlinePolicies")) {
			docs = append(docs, doc{fmt.Sprintf("role %q inline policy %d (%s)", r.Name, i, render(at(p, "name"))), at(p, "policy")})
		}
	}
	var out []string
	for _, d := range docs {
		parsed, ok, err := parseDocument(d.v)
		if err != nil {
			out = append(out, fmt.Sprintf("%s is not a valid JSON policy document (%v)", d.what, err))
			continue
		}
		if ok {
			out = append(out, documentViolations(d.what, parsed)...)
		}
	}
	return out
}

// principals flattens a Principal element: "*" or {"AWS": ..., "Service": ..., "Federated": ...}.
func principals(p any) map[string][]string {
	out := map[string][]string{}
	switch t := p.(type) {
	case string:
		out["*"] = []string{t}
	case map[string]any:
		for k, v := range t {
			out[k] = anyStrings(v)
		}
	}
	return out
}

// IAM-02.
func checkTrustPolicy(_ *env, r policyx.AnalyzerResource) []string {
	doc, ok, err := parseDocument(lookup(r.Properties, "assumeRolePolicy"))
	if err != nil {
		return []string{fmt.Sprintf("role %q assumeRolePolicy is not a valid JSON policy document (%v)", r.Name, err)}
	}
	if !ok {
		return nil
	}
	var out []string
	for i, s := range doc.Statement {
		if !strings.EqualFold(s.Effect, "Allow") {
			continue
		}
		ps := principals(s.Principal)
		for kind, values := range ps {
			if slices.Contains(values, "*") {
				out = append(out, fmt.Sprintf("role %q trust policy %s allows principal %s \"*\": anyone could assume the role", r.Name, s.label(i), kind))
			}
		}
		if s.NotPrincipal != nil {
			out = append(out, fmt.Sprintf("role %q trust policy %s uses NotPrincipal with Allow: everyone else may assume the role", r.Name, s.label(i)))
		}
		if !slices.ContainsFunc(ps["Federated"], func(f string) bool { return strings.Contains(f, "oidc-provider/") }) {
			continue
		}
		// An IRSA role: the token's sub must be pinned to exactly one service account.
		var subs []string
		var loose []string
		for op, byKey := range s.Condition {
			for key, v := range byKey {
				if !strings.HasSuffix(key, ":sub") {
					continue
				}
				values := anyStrings(v)
				if op != "StringEquals" {
					loose = append(loose, fmt.Sprintf("%s %s %v", op, key, values))
					continue
				}
				subs = append(subs, values...)
			}
		}
		sort.Strings(loose)
		switch {
		case len(loose) > 0:
			out = append(out, fmt.Sprintf("role %q trust policy %s matches the OIDC sub with %v; use StringEquals on one system:serviceaccount:<namespace>:<name>", r.Name, s.label(i), loose))
		case len(subs) != 1:
			out = append(out, fmt.Sprintf("role %q trust policy %s trusts the cluster's OIDC provider with sub values %v: pin StringEquals <issuer>:sub to exactly one service account, or every pod in the cluster could assume it",
				r.Name, s.label(i), subs))
		case !isServiceAccountSubject(subs[0]):
			out = append(out, fmt.Sprintf("role %q trust policy %s pins sub %q, which is not one service account (system:serviceaccount:<namespace>:<name>, no wildcards)", r.Name, s.label(i), subs[0]))
		}
	}
	sort.Strings(out)
	return out
}

func isServiceAccountSubject(sub string) bool {
	rest, ok := strings.CutPrefix(sub, "system:serviceaccount:")
	if !ok || strings.ContainsAny(rest, "*?") {
		return false
	}
	ns, name, ok := strings.Cut(rest, ":")
	return ok && ns != "" && name != "" && !strings.Contains(name, ":")
}
