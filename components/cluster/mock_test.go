package cluster

import (
	"encoding/base64"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// newMonitor is the shared recording monitor with readable, name-derived fakes for the outputs the
// cluster tests assert on literally: the KMS key ID and ARN, the EKS endpoint, CA and OIDC issuer,
// and an OIDC provider ARN built from the provider's own URL, as IAM builds it.
func newMonitor() *mockmon.Monitor {
	m := mockmon.New()
	m.Outputs = map[string]func(mockmon.Recorded) resource.PropertyMap{
		typeKey: func(r mockmon.Recorded) resource.PropertyMap {
			return resource.PropertyMap{
				"keyId": resource.NewProperty("key-" + r.Name),
				"arn":   resource.NewProperty("arn:aws:kms:us-east-1:" + mockmon.Account + ":key/key-" + r.Name),
			}
		},
		typeCluster: func(r mockmon.Recorded) resource.PropertyMap {
			return resource.PropertyMap{
				"endpoint": resource.NewProperty("https://" + r.Name + ".eks.example"),
				"certificateAuthority": resource.NewPropertyValue(map[string]any{
					"data": base64.StdEncoding.EncodeToString([]byte("fake-ca-" + r.Name)),
				}),
				"identities": resource.NewPropertyValue([]any{map[string]any{"oidcs": []any{map[string]any{
					"issuer": "https://oidc.eks.example/id/FAKE" + strings.ToUpper(r.Name),
				}}}}),
			}
		},
		typeOIDC: func(r mockmon.Recorded) resource.PropertyMap {
			return resource.PropertyMap{
				"arn": resource.NewProperty("arn:aws:iam::" + mockmon.Account + ":oidc-provider/" + strings.TrimPrefix(r.Str("url"), "https://")),
			}
		},
	}
	return m
}
