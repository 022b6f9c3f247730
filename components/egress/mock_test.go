package egress

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/cutover-dev/cutover/internal/mockmon"
)

// newMonitor is the shared recording monitor with addresses the tests can reason about: a managed
// Elastic IP gets allocation ID eipalloc-0000000000000000<AZ letter> and address 198.51.100.1x
// (a: .10, b: .11, ...), and getElasticIp answers only the adopted allocations in eipIPs
// (allocation ID -> public IP).
func newMonitor(eipIPs map[string]string) *mockmon.Monitor {
	m := mockmon.New()
	m.Outputs = map[string]func(mockmon.Recorded) resource.PropertyMap{
		eipType: func(r mockmon.Recorded) resource.PropertyMap {
			letter := r.Name[len(r.Name)-1]
			id := fmt.Sprintf("eipalloc-0000000000000000%c", letter)
			return resource.PropertyMap{
				"id":           resource.NewProperty(id),
				"allocationId": resource.NewProperty(id),
				"publicIp":     resource.NewProperty(fmt.Sprintf("198.51.100.%d", 10+int(letter-'a'))),
			}
		},
	}
	m.Invokes = map[string]func(resource.PropertyMap) (resource.PropertyMap, error){
		"aws:ec2/getElasticIp:getElasticIp": func(args resource.PropertyMap) (resource.PropertyMap, error) {
			id := args["id"].StringValue()
			ip, ok := eipIPs[id]
			if !ok {
				return nil, fmt.Errorf("no fake EIP %s", id)
			}
			return resource.PropertyMap{
				"id":       resource.NewProperty(id),
				"publicIp": resource.NewProperty(ip),
				"domain":   resource.NewProperty("vpc"),
			}, nil
		},
	}
	return m
}
