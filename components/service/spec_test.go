package service

import (
	"testing"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/stretchr/testify/require"
)

func TestCheckImage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		image   string
		wantErr string
	}{
		{image: "api:1.2.3"},
		{image: "ghcr.io/acme/api:v2024.06.01-abc123"},
		{image: "registry.example:5000/team/api:7"},
		{image: "ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{image: "ghcr.io/acme/api:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{image: "ghcr.io/acme/api:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", wantErr: "\"latest\""},
		{image: "registry.example:5000/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{image: "", wantErr: "Image: '' is not a valid image reference"},
		{image: "api", wantErr: "it has no tag"},
		{image: "registry.example:5000/team/api", wantErr: "it has no tag"},
		{image: "api:latest", wantErr: "\"latest\" moves under a running Deployment"},
		{image: "api:", wantErr: "tag '' is malformed"},
		{image: "api:-bad", wantErr: "tag '-bad' is malformed"},
		{image: "api@sha256:short", wantErr: "digest 'sha256:short' is malformed"},
		{image: "api: 1.0", wantErr: "is not a valid image reference"},
	}
	for _, tc := range cases {
		t.Run(tc.image, func(t *testing.T) {
			t.Parallel()
			err := checkImage(tc.image)
			if tc.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.wantErr)
		})
	}
}

func TestRolloutStrategy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		public bool
		want   rollout
	}{
		{name: "public API keeps capacity", public: true, want: rollout{MaxUnavailable: 0, MaxSurge: 1}},
		{name: "internal uses explicit defaults", public: false, want: rollout{MaxUnavailable: "25%", MaxSurge: "25%"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, rolloutStrategy(tc.public))
		})
	}
}

func TestSortedEnv(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want []envVar
	}{
		{name: "nil", env: nil, want: []envVar{}},
		{name: "sorted by name", env: map[string]string{"b": "2", "A": "1", "a": "3"},
			want: []envVar{{"A", "1"}, {"a", "3"}, {"b", "2"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, sortedEnv(tc.env))
		})
	}
}

func TestLoadBalancerHostname(t *testing.T) {
	t.Parallel()
	host := "k8s-api-0123456789.elb.example"
	cases := []struct {
		name   string
		status *corev1.ServiceStatus
		want   string
	}{
		{name: "nil status", status: nil, want: ""},
		{name: "no load balancer", status: &corev1.ServiceStatus{}, want: ""},
		{name: "no ingress yet", status: &corev1.ServiceStatus{LoadBalancer: &corev1.LoadBalancerStatus{}}, want: ""},
		{name: "ip only", status: &corev1.ServiceStatus{LoadBalancer: &corev1.LoadBalancerStatus{
			Ingress: []corev1.LoadBalancerIngress{{}}}}, want: ""},
		{name: "hostname", status: &corev1.ServiceStatus{LoadBalancer: &corev1.LoadBalancerStatus{
			Ingress: []corev1.LoadBalancerIngress{{Hostname: &host}}}}, want: host},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, loadBalancerHostname(tc.status))
		})
	}
}

func TestLoadBalancerAnnotations(t *testing.T) {
	t.Parallel()
	got := loadBalancerAnnotations("/ready")
	const p = "service.beta.kubernetes.io/aws-load-balancer-"
	require.Equal(t, "/ready", got[p+"healthcheck-path"])
	require.Equal(t, "external", got[p+"type"])
	require.Equal(t, "ip", got[p+"nlb-target-type"])
	require.Equal(t, "443", got[p+"ssl-ports"])
	require.Equal(t, "preserve_client_ip.enabled=true,deregistration_delay.timeout_seconds=30", got[p+"target-group-attributes"])
	_, hasCert := got[annotationSSLCert]
	require.False(t, hasCert, "the certificate annotation comes from the validation output")
	// The NLB must stop routing to a pod before its preStop sleep ends.
	require.Less(t, publicDeregistrationDelay, publicTerminationGraceSeconds)
}
