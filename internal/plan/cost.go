package plan

import (
	"fmt"

	"github.com/cutover-dev/cutover/infra/config"
	"github.com/cutover-dev/cutover/internal/cost"
)

// estimateCost prices the plan: the AWS side from the config (pools at desired size, NAT gateways,
// public IPv4 addresses, the API's NLB, Prometheus's volume) and the Heroku formation as the plan
// scales it at this rung, against the formation before the move.
func estimateCost(cfg config.Config, p *Plan) (*cost.Estimate, error) {
	in := cost.Input{
		Region:        cfg.Region,
		NATGateways:   cfg.NATCount(),
		AZs:           len(cfg.AvailabilityZones),
		LoadBalancers: 1,
		// Volumes are the stack's own estimate from config; the estimate's notes say so.
		MonthlyEgressGiB: float64(cfg.MonthlyEgressGiB),
		MonthlyLogGiB:    float64(cfg.MonthlyLogGiB),
	}
	// Each NAT gateway holds one Elastic IP; an internet-facing NLB holds one public IPv4 per AZ.
	in.PublicIPv4 = in.NATGateways + in.AZs
	if cfg.MonitoringEnabled {
		in.PersistentVolumeGiB = cfg.MonitoringStorageGiB
	}
	for _, name := range config.SortedKeys(cfg.WorkerPools) {
		pool := cfg.WorkerPools[name]
		in.Pools = append(in.Pools, cost.Pool{
			Name: name, InstanceTypes: pool.InstanceTypes, DesiredSize: pool.DesiredSize,
			CapacityType: pool.CapacityType, DiskSizeGiB: pool.DiskSizeGiB,
		})
	}
	scaled, _ := p.Outputs["herokuFormation"].(map[string]any)
	for _, name := range config.SortedKeys(cfg.HerokuFormation) {
		proc := cfg.HerokuFormation[name]
		in.HerokuReferenceFormation = append(in.HerokuReferenceFormation, cost.Process{Name: name, Size: proc.Size, Quantity: proc.Quantity})
		q, ok := scaled[name].(float64)
		if !ok {
			return nil, fmt.Errorf("cost: the plan has no scaled quantity for Heroku process %q", name)
		}
		in.HerokuFormation = append(in.HerokuFormation, cost.Process{Name: name, Size: proc.Size, Quantity: int(q)})
	}
	est, err := cost.Compute(in)
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	return &est, nil
}
