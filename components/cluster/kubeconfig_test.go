package cluster

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// fakeCA is base64 of a clearly fake PEM header; Kubeconfig only checks it is valid base64.
const fakeCA = "LS0tLS1CRUdJTiBGQUtFIENFUlRJRklDQVRFLS0tLS0K"

func TestKubeconfigGolden(t *testing.T) {
	t.Parallel()
	got, err := Kubeconfig("cutover-prod", "https://cutover-prod.eks.example", fakeCA, "us-east-1")
	require.NoError(t, err)

	golden := filepath.Join("testdata", "kubeconfig.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got+"\n"), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run `go test ./components/cluster/ -update` to create the golden file")
	assert.Equal(t, string(want), got+"\n")
}

func TestKubeconfigStructure(t *testing.T) {
	t.Parallel()
	got, err := Kubeconfig("c1", "https://c1.eks.example", fakeCA, "eu-west-2")
	require.NoError(t, err)

	var doc struct {
		APIVersion     string `json:"apiVersion"`
		Kind           string `json:"kind"`
		CurrentContext string `json:"current-context"`
		Clusters       []struct {
			Name    string `json:"name"`
			Cluster struct {
				Server string `json:"server"`
				CA     string `json:"certificate-authority-data"`
			} `json:"cluster"`
		} `json:"clusters"`
		Contexts []struct {
			Name    string `json:"name"`
			Context struct {
				Cluster string `json:"cluster"`
				User    string `json:"user"`
			} `json:"context"`
		} `json:"contexts"`
		Users []struct {
			Name string `json:"name"`
			User struct {
				Exec struct {
					APIVersion string   `json:"apiVersion"`
					Command    string   `json:"command"`
					Args       []string `json:"args"`
				} `json:"exec"`
				Token string `json:"token"`
			} `json:"user"`
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(got), &doc))

	assert.Equal(t, "v1", doc.APIVersion)
	assert.Equal(t, "Config", doc.Kind)
	assert.Equal(t, "c1", doc.CurrentContext)
	require.Len(t, doc.Clusters, 1)
	assert.Equal(t, "https://c1.eks.example", doc.Clusters[0].Cluster.Server)
	assert.Equal(t, fakeCA, doc.Clusters[0].Cluster.CA)
	require.Len(t, doc.Contexts, 1)
	assert.Equal(t, "c1", doc.Contexts[0].Context.Cluster)
	assert.Equal(t, "c1", doc.Contexts[0].Context.User)
	require.Len(t, doc.Users, 1)
	exec := doc.Users[0].User.Exec
	assert.Equal(t, "client.authentication.k8s.io/v1beta1", exec.APIVersion)
	assert.Equal(t, "aws", exec.Command)
	assert.Equal(t, []string{"eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-2"}, exec.Args)
	assert.Empty(t, doc.Users[0].User.Token, "no static credential in the kubeconfig")
}

func TestKubeconfigErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                          string
		cluster, endpoint, ca, region string
		wantErr                       string
	}{
		{name: "empty name", cluster: "", endpoint: "https://x.eks.example", ca: fakeCA, region: "us-east-1", wantErr: "name must not be empty"},
		{name: "http endpoint", cluster: "c", endpoint: "http://x.eks.example", ca: fakeCA, region: "us-east-1", wantErr: `endpoint "http://x.eks.example" must be an https:// URL`},
		{name: "bare scheme", cluster: "c", endpoint: "https://", ca: fakeCA, region: "us-east-1", wantErr: "must be an https:// URL"},
		{name: "empty ca", cluster: "c", endpoint: "https://x.eks.example", ca: "", region: "us-east-1", wantErr: "caData must not be empty"},
		{name: "ca not base64", cluster: "c", endpoint: "https://x.eks.example", ca: "not base64!", region: "us-east-1", wantErr: "caData is not valid base64"},
		{name: "empty region", cluster: "c", endpoint: "https://x.eks.example", ca: fakeCA, region: "", wantErr: `region "" is not a valid AWS region`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Kubeconfig(tc.cluster, tc.endpoint, tc.ca, tc.region)
			assert.ErrorContains(t, err, tc.wantErr)
		})
	}
}
