package service

import (
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/cutover-dev/cutover/internal/dyno"
)

// Resources are a container's Kubernetes resource requests and limits, as
// quantity strings ("250m", "512Mi"). An empty string leaves that entry unset.
type Resources struct {
	CPURequest    string
	MemoryRequest string
	CPULimit      string
	MemoryLimit   string
}

// ResourcesForDyno sizes a container like the Heroku dyno type it ran on.
//
// Memory request equals memory limit, set to the dyno's quota: the pod gets
// exactly the memory it had on Heroku, is never overcommitted on the node, and
// is OOM-killed at the same point Heroku would have restarted it (R15).
//
// CPU request is the dyno's approximate compute share (see internal/dyno) and
// CPU limit is deliberately left unset. A CFS quota throttles a latency-bound
// API in short bursts even when the node is idle, and Heroku's shared dynos
// themselves burst above their share ("compute 1x-4x"); the request alone still
// reserves the share for scheduling and weights CPU time under contention.
func ResourcesForDyno(dynoType string) (Resources, error) {
	size, ok := dyno.Lookup(dynoType)
	if !ok {
		return Resources{}, fmt.Errorf("'%s' is not a valid dyno type: allowed: %s",
			dynoType, strings.Join(dyno.Names(), ", "))
	}
	memory := fmt.Sprintf("%dMi", size.MemoryMiB)
	return Resources{
		CPURequest:    fmt.Sprintf("%dm", size.CPUMilli),
		MemoryRequest: memory,
		MemoryLimit:   memory,
	}, nil
}

// ExplicitResources sizes a container from explicit quantities: cpu becomes the
// CPU request (no CPU limit, for the reason given on ResourcesForDyno) and
// memory becomes both the memory request and limit.
func ExplicitResources(cpu, memory string) (Resources, error) {
	var errs []error
	if err := checkQuantity("cpu", cpu, true); err != nil {
		errs = append(errs, err)
	}
	if err := checkQuantity("memory", memory, true); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Resources{}, errors.Join(errs...)
	}
	return Resources{CPURequest: cpu, MemoryRequest: memory, MemoryLimit: memory}, nil
}

// validate checks that the resources satisfy what the policy pack requires
// (cpu and memory requests, a memory limit) and that each request fits under
// its limit.
func (r Resources) validate() error {
	var errs []error
	fields := []struct {
		name     string
		value    string
		required bool
	}{
		{"Resources.CPURequest", r.CPURequest, true},
		{"Resources.MemoryRequest", r.MemoryRequest, true},
		{"Resources.CPULimit", r.CPULimit, false},
		{"Resources.MemoryLimit", r.MemoryLimit, true},
	}
	parsed := map[string]resource.Quantity{}
	for _, f := range fields {
		if err := checkQuantity(f.name, f.value, f.required); err != nil {
			errs = append(errs, err)
			continue
		}
		if f.value != "" {
			parsed[f.name] = resource.MustParse(f.value)
		}
	}
	pairs := [][2]string{
		{"Resources.CPURequest", "Resources.CPULimit"},
		{"Resources.MemoryRequest", "Resources.MemoryLimit"},
	}
	for _, p := range pairs {
		req, okReq := parsed[p[0]]
		lim, okLim := parsed[p[1]]
		if okReq && okLim && req.Cmp(lim) > 0 {
			errs = append(errs, fmt.Errorf("%s: '%s' is larger than %s '%s': a request must not exceed its limit",
				p[0], req.String(), p[1], lim.String()))
		}
	}
	return errors.Join(errs...)
}

// checkQuantity reports whether value is a positive Kubernetes quantity.
func checkQuantity(field, value string, required bool) error {
	if value == "" {
		if required {
			return fmt.Errorf("%s: must be set to a Kubernetes quantity such as \"500m\" or \"512Mi\"", field)
		}
		return nil
	}
	q, err := resource.ParseQuantity(value)
	if err != nil {
		return fmt.Errorf("%s: '%s' is not a valid Kubernetes quantity: must look like \"500m\", \"2\" or \"512Mi\"", field, value)
	}
	if q.Sign() <= 0 {
		return fmt.Errorf("%s: '%s' is not a valid size: must be greater than zero", field, value)
	}
	return nil
}
