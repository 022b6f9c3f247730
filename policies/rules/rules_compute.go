package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// LT-01.
func checkIMDSv2(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	tokens := lookup(r.Properties, "metadataOptions", "httpTokens")
	if !tokens.IsComputed() {
		if s, _ := str(tokens); s != "required" {
			out = append(out, fmt.Sprintf("launch template %q has metadataOptions.httpTokens %s (AWS default \"optional\"): IMDSv1 lets any SSRF in a pod read the node role's credentials; set \"required\"",
				r.Name, render(tokens)))
		}
	}
	// Absent: AWS uses 1 for the hop limit (or the AMI's setting), within the limit.
	if hops, ok := num(lookup(r.Properties, "metadataOptions", "httpPutResponseHopLimit")); ok && hops > maxIMDSHopLimit {
		out = append(out, fmt.Sprintf("launch template %q has metadataOptions.httpPutResponseHopLimit %v; at most %d keeps the metadata service one hop from pods",
			r.Name, hops, maxIMDSHopLimit))
	}
	return out
}

// LT-02.
func checkLTNoPublicIP(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	for i, ni := range elems(lookup(r.Properties, "networkInterfaces")) {
		v := at(ni, "associatePublicIpAddress")
		if on, ok := boolean(v); ok && on {
			out = append(out, fmt.Sprintf("launch template %q networkInterfaces[%d].associatePublicIpAddress is %s: worker nodes must not get public IPs; egress goes through the NAT gateways",
				r.Name, i, render(v)))
		}
	}
	return out
}

// LT-03.
func checkEBSEncrypted(_ *env, r policyx.AnalyzerResource) []string {
	mappings := lookup(r.Properties, "blockDeviceMappings")
	if mappings.IsComputed() {
		return nil
	}
	var out []string
	ebsCount := 0
	for i, m := range elems(mappings) {
		ebs := at(m, "ebs")
		if ebs.IsNull() {
			continue // instance store or noDevice: no EBS volume
		}
		ebsCount++
		enc := at(m, "ebs", "encrypted")
		if enc.IsComputed() {
			continue
		}
		if on, ok := boolean(enc); !ok || !on {
			out = append(out, fmt.Sprintf("launch template %q blockDeviceMappings[%d] (%s) has ebs.encrypted %s: the volume would be unencrypted unless the account default happens to be on; set \"true\"",
				r.Name, i, render(at(m, "deviceName")), render(enc)))
		}
	}
	if ebsCount == 0 {
		out = append(out, fmt.Sprintf("launch template %q declares no EBS blockDeviceMappings: the root volume inherits the AMI's settings, which are not encrypted by default; declare it with ebs.encrypted \"true\"",
			r.Name))
	}
	return out
}

var (
	accessKeyIDPattern = regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)
	secretKeyPattern   = regexp.MustCompile(`(?i)(aws_?secret_?access_?key|aws_?session_?token)["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{16,}`)
)

// userDataTexts returns the readable layers of user data: as given, base64-decoded, gunzipped,
// and each part of a MIME multi-part document (the format EKS node bootstrap uses).
func userDataTexts(raw string) []string {
	var out []string
	var visit func(b []byte, depth int)
	visit = func(b []byte, depth int) {
		if depth > 4 || len(b) == 0 {
			return
		}
		if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if unzipped, err := io.ReadAll(io.LimitReader(zr, 1<<20)); err == nil {
					visit(unzipped, depth+1)
				}
			}
			return
		}
		out = append(out, string(b))
		compact := strings.Join(strings.Fields(string(b)), "")
		if decoded, err := base64.StdEncoding.DecodeString(compact); err == nil && len(decoded) > 0 {
			visit(decoded, depth+1)
		}
		for _, part := range mimeParts(b) {
			visit(part, depth+1)
		}
	}
	visit([]byte(raw), 0)
	return out
}

func mimeParts(b []byte) [][]byte {
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") || params["boundary"] == "" {
		return nil
	}
	var parts [][]byte
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return parts
		}
		body, err := io.ReadAll(io.LimitReader(p, 1<<20))
		if err != nil {
			return parts
		}
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			if decoded, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), "")); err == nil {
				body = decoded
			}
		}
		parts = append(parts, body)
	}
}

// mask keeps enough of a credential to find it, never the whole of it.
func mask(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// LT-04.
func checkUserDataNoKeys(_ *env, r policyx.AnalyzerResource) []string {
	raw, ok := str(lookup(r.Properties, "userData"))
	if !ok || raw == "" {
		return nil
	}
	var found []string
	for _, text := range userDataTexts(raw) {
		for _, id := range accessKeyIDPattern.FindAllString(text, -1) {
			if f := "access key ID " + mask(id); !slices.Contains(found, f) {
				found = append(found, f)
			}
		}
		for _, m := range secretKeyPattern.FindAllStringSubmatch(text, -1) {
			if f := "assignment of " + strings.ToUpper(m[1]); !slices.Contains(found, f) {
				found = append(found, f)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("launch template %q user data holds AWS credentials (%s): user data is readable by anyone who can describe the instance; nodes get credentials from their instance role",
		r.Name, strings.Join(found, ", "))}
}

// EKS-01.
func checkEndpointAccess(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	p := r.Properties
	if v := lookup(p, "vpcConfig", "endpointPrivateAccess"); !v.IsComputed() {
		if on, _ := boolean(v); !on {
			out = append(out, fmt.Sprintf("cluster %q has vpcConfig.endpointPrivateAccess %s (AWS default false): nodes would reach the API server over the internet; set true",
				r.Name, render(v)))
		}
	}
	public := lookup(p, "vpcConfig", "endpointPublicAccess")
	if public.IsComputed() {
		return out
	}
	if on, ok := boolean(public); ok && !on {
		return out
	}
	cidrsValue := lookup(p, "vpcConfig", "publicAccessCidrs")
	cidrs, unknown := strList(cidrsValue)
	switch {
	case unknown:
	case len(cidrs) == 0:
		out = append(out, fmt.Sprintf("cluster %q has a public endpoint (endpointPublicAccess %s) with publicAccessCidrs %s, which AWS reads as 0.0.0.0/0: turn the public endpoint off or list the admin CIDRs",
			r.Name, render(public), render(cidrsValue)))
	default:
		for _, c := range cidrs {
			if c == anyIPv4 || c == anyIPv6 {
				out = append(out, fmt.Sprintf("cluster %q public endpoint allows %s (publicAccessCidrs %s): list only the admin CIDRs", r.Name, c, render(cidrsValue)))
			}
		}
	}
	return out
}

// EKS-02.
func checkSecretsEncryption(_ *env, r policyx.AnalyzerResource) []string {
	cfg := lookup(r.Properties, "encryptionConfig")
	if cfg.IsComputed() {
		return nil
	}
	if cfg.IsNull() {
		return []string{fmt.Sprintf("cluster %q has no encryptionConfig: Kubernetes secrets would be stored with only the default EBS encryption; encrypt \"secrets\" with a KMS key", r.Name)}
	}
	var out []string
	resources, unknown := strList(lookup(r.Properties, "encryptionConfig", "resources"))
	if !unknown && !slices.Contains(resources, "secrets") {
		out = append(out, fmt.Sprintf("cluster %q encryptionConfig.resources is %v; it must include \"secrets\"", r.Name, resources))
	}
	key := lookup(r.Properties, "encryptionConfig", "provider", "keyArn")
	if s, _ := str(key); !key.IsComputed() && s == "" {
		out = append(out, fmt.Sprintf("cluster %q encryptionConfig.provider.keyArn is %s; it must name a KMS key", r.Name, render(key)))
	}
	return out
}

// EKS-03.
func checkClusterLogsAndVersion(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	types, unknown := strList(lookup(r.Properties, "enabledClusterLogTypes"))
	if !unknown {
		var missing []string
		for _, want := range []string{"api", "audit", "authenticator"} {
			if !slices.Contains(types, want) {
				missing = append(missing, want)
			}
		}
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("cluster %q enabledClusterLogTypes %v lacks %v: control plane actions during the cutover could not be audited", r.Name, types, missing))
		}
	}
	if v := lookup(r.Properties, "version"); v.IsNull() {
		out = append(out, fmt.Sprintf("cluster %q sets no version: EKS picks its current default, so a re-create or a new stack would silently get another Kubernetes version", r.Name))
	}
	return out
}

// EKS-04 (the part a resource policy can see).
func checkNodeGroupRemoteAccess(_ *env, r policyx.AnalyzerResource) []string {
	key := lookup(r.Properties, "remoteAccess", "ec2SshKey")
	if s, _ := str(key); key.IsNull() || (!key.IsComputed() && s == "") {
		return nil
	}
	sgs := lookup(r.Properties, "remoteAccess", "sourceSecurityGroupIds")
	if ids, unknown := strList(sgs); unknown || len(ids) > 0 {
		return nil
	}
	return []string{fmt.Sprintf("node group %q allows SSH with key %s but sets no remoteAccess.sourceSecurityGroupIds: EKS then opens port 22 to 0.0.0.0/0",
		r.Name, render(key))}
}

// EKS-04 (the part that needs the subnets).
func checkNodeGroupPrivateSubnets(_ *env, g *graph) []finding {
	var out []finding
	for _, ng := range sortedNodes(g.ofType(typeEksNodeGroup)) {
		for _, s := range sortedNodes(g.ref(ng, "subnetIds", typeSubnet).targets) {
			if public, known := subnetTier(s.Properties, s.Name); known && public {
				out = append(out, finding{ng.URN, fmt.Sprintf("node group %q places nodes in public subnet %q; worker nodes belong in private subnets", ng.Name, s.Name)})
			}
		}
	}
	return out
}

// EKS-05.
func checkNodeGroupAvailability(_ *env, r policyx.AnalyzerResource) []string {
	var out []string
	minSize := lookup(r.Properties, "scalingConfig", "minSize")
	if !minSize.IsComputed() {
		if n, ok := num(minSize); !ok || n < 2 {
			out = append(out, fmt.Sprintf("node group %q has scalingConfig.minSize %s; at least 2 keeps a node per zone through a node replacement", r.Name, render(minSize)))
		}
	}
	// Absent updateConfig: EKS uses maxUnavailable 1, which is what is wanted.
	if n, ok := num(lookup(r.Properties, "updateConfig", "maxUnavailable")); ok && n > 1 {
		out = append(out, fmt.Sprintf("node group %q has updateConfig.maxUnavailable %v; roll one node at a time (1)", r.Name, n))
	}
	if n, ok := num(lookup(r.Properties, "updateConfig", "maxUnavailablePercentage")); ok && n > maxNodeGroupUnavailablePct {
		out = append(out, fmt.Sprintf("node group %q has updateConfig.maxUnavailablePercentage %v; at most %d", r.Name, n, maxNodeGroupUnavailablePct))
	}
	return out
}
