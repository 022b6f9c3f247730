package tests

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"sigs.k8s.io/yaml"
)

// samplePassphrase encrypts the sample stacks' secrets (documented in the README); real stacks use
// their own passphrase, KMS key or Pulumi Cloud.
const samplePassphrase = "cutover-sample"

// The sample secrets are stored as Pulumi stores them with the passphrase provider: an
// encryptionsalt whose check value decrypts to "pulumi", and `secure:` values under it.
func TestSampleSecretsAreEncryptedThePulumiWay(t *testing.T) {
	for _, stack := range stacks(t) {
		t.Run(stack, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot, "stacks", "Pulumi."+stack+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var file struct {
				EncryptionSalt string         `json:"encryptionsalt"`
				Config         map[string]any `json:"config"`
			}
			if err := yaml.Unmarshal(data, &file); err != nil {
				t.Fatal(err)
			}
			parts := strings.SplitN(file.EncryptionSalt, ":", 3)
			if len(parts) != 3 || parts[0] != "v1" {
				t.Fatalf("encryptionsalt %q is not v1:<salt>:<check>", file.EncryptionSalt)
			}
			salt, err := base64.StdEncoding.DecodeString(parts[1])
			if err != nil {
				t.Fatal(err)
			}
			crypter := pconfig.NewSymmetricCrypterFromPassphrase(samplePassphrase, salt)
			if check, err := crypter.DecryptValue(context.Background(), parts[2]); err != nil || check != "pulumi" {
				t.Fatalf("salt check decrypts to %q, %v; want \"pulumi\"", check, err)
			}
			entry, _ := file.Config["cutover:grafanaAdminPassword"].(map[string]any)
			secure, ok := entry["secure"].(string)
			if !ok {
				t.Fatal("cutover:grafanaAdminPassword is not stored as a secure value")
			}
			plain, err := crypter.DecryptValue(context.Background(), secure)
			if err != nil || len(plain) < 12 {
				t.Fatalf("grafanaAdminPassword decrypts to %d characters, %v", len(plain), err)
			}
			if strings.Contains(string(data), plain) {
				t.Fatal("the plaintext password appears in the stack file")
			}
		})
	}
}
