package config

import (
	"errors"
	"testing"
)

// FuzzLoad feeds arbitrary text to the decoder of every kind of key: it must never panic, and any
// failure must be a *config.Error listing problems.
func FuzzLoad(f *testing.F) {
	seeds := []struct{ services, pools, percent, azs string }{
		{`{"api":{"image":"r.example.com/a:1","port":1,"public":true,"dyno":"standard-1x","minReplicas":1,"maxReplicas":1,"pool":"g"}}`, `{"g":{"instanceTypes":["m6i.large"],"minSize":2,"maxSize":2,"desiredSize":2}}`, "0", `["us-east-1a","us-east-1b"]`},
		{`{"x":null}`, `[]`, "1e9", `[1,2]`},
		{`{"a":{"env":{"1":"x"},"taints":[{}]}}`, `{"g":{"taints":[{"effect":7}]}}`, "-0", `"us-east-1a"`},
		{"", "", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.services, s.pools, s.percent, s.azs)
	}
	f.Fuzz(func(t *testing.T, services, pools, percent, azs string) {
		values := validValues()
		values["cutover:services"] = services
		values["cutover:workerPools"] = pools
		values["cutover:awsTrafficPercent"] = percent
		values["cutover:availabilityZones"] = azs
		_, err := FromMap("fuzz", values)
		var cfgErr *Error
		if err != nil && (!errors.As(err, &cfgErr) || len(cfgErr.Problems) == 0) {
			t.Fatalf("error is not a config error with problems: %v", err)
		}
	})
}
