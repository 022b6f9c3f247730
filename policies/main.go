// Command policies is the cutover policy pack: `pulumi preview --policy-pack policies` builds and
// runs it. The rules live in the importable package policies/rules.
package main

import (
	"log"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/cutover-dev/cutover/policies/rules"
)

func main() {
	// Main prints the port for the engine and serves until the engine stops it; an error here is
	// a failure to serve, which the engine reports from the plugin's stderr and exit.
	if err := policyx.Main(rules.NewPack); err != nil {
		log.Fatal(err)
	}
}
