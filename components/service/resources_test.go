package service

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResourcesForDyno(t *testing.T) {
	t.Parallel()
	cases := []struct {
		dyno    string
		want    Resources
		wantErr string
	}{
		{dyno: "standard-1x", want: Resources{CPURequest: "250m", MemoryRequest: "512Mi", MemoryLimit: "512Mi"}},
		{dyno: "standard-2x", want: Resources{CPURequest: "500m", MemoryRequest: "1024Mi", MemoryLimit: "1024Mi"}},
		{dyno: "performance-m", want: Resources{CPURequest: "2000m", MemoryRequest: "2560Mi", MemoryLimit: "2560Mi"}},
		{dyno: "performance-l", want: Resources{CPURequest: "8000m", MemoryRequest: "14336Mi", MemoryLimit: "14336Mi"}},
		{dyno: "private-s", want: Resources{CPURequest: "2000m", MemoryRequest: "1024Mi", MemoryLimit: "1024Mi"}},
		{dyno: "shield-l-ram", want: Resources{CPURequest: "4000m", MemoryRequest: "30720Mi", MemoryLimit: "30720Mi"}},
		{dyno: "Standard-1X", wantErr: "'Standard-1X' is not a valid dyno type: allowed: basic, eco, performance-2xl"},
		{dyno: "hobby", wantErr: "allowed: "},
	}
	for _, tc := range cases {
		t.Run(tc.dyno, func(t *testing.T) {
			t.Parallel()
			got, err := ResourcesForDyno(tc.dyno)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.Equal(t, Resources{}, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Empty(t, got.CPULimit, "no CPU limit: see ResourcesForDyno")
			require.NoError(t, got.validate(), "dyno sizing must satisfy the service's own validation")
		})
	}
}

func TestExplicitResources(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, cpu, memory string
		want              Resources
		wantErr           []string
	}{
		{name: "millicores and Mi", cpu: "750m", memory: "768Mi", want: Resources{CPURequest: "750m", MemoryRequest: "768Mi", MemoryLimit: "768Mi"}},
		{name: "whole cores and Gi", cpu: "2", memory: "4Gi", want: Resources{CPURequest: "2", MemoryRequest: "4Gi", MemoryLimit: "4Gi"}},
		{name: "empty cpu", cpu: "", memory: "1Gi", wantErr: []string{"cpu: must be set"}},
		{name: "garbage memory", cpu: "1", memory: "lots", wantErr: []string{"memory: 'lots' is not a valid Kubernetes quantity"}},
		{name: "zero cpu", cpu: "0", memory: "1Gi", wantErr: []string{"cpu: '0' is not a valid size: must be greater than zero"}},
		{name: "negative memory", cpu: "1", memory: "-1Gi", wantErr: []string{"memory: '-1Gi' is not a valid size"}},
		{name: "both wrong", cpu: "x", memory: "", wantErr: []string{"cpu: 'x'", "memory: must be set"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ExplicitResources(tc.cpu, tc.memory)
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					require.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestResourcesValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		r       Resources
		wantErr []string
	}{
		{name: "cpu limit optional", r: Resources{CPURequest: "1", MemoryRequest: "1Gi", MemoryLimit: "1Gi"}},
		{name: "cpu limit above request", r: Resources{CPURequest: "500m", CPULimit: "1", MemoryRequest: "512Mi", MemoryLimit: "1Gi"}},
		{name: "cpu request above limit", r: Resources{CPURequest: "2", CPULimit: "1", MemoryRequest: "1Gi", MemoryLimit: "1Gi"},
			wantErr: []string{"Resources.CPURequest: '2' is larger than Resources.CPULimit '1'"}},
		{name: "all missing", r: Resources{}, wantErr: []string{"Resources.CPURequest: must be set", "Resources.MemoryRequest: must be set", "Resources.MemoryLimit: must be set"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.r.validate()
			if len(tc.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.wantErr {
				require.Contains(t, err.Error(), w)
			}
		})
	}
}
