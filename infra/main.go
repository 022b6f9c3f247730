// Command infra is the Pulumi program of the cutover project (Pulumi.yaml: main: infra/).
package main

import (
	"github.com/cutover-dev/cutover/infra/program"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() { pulumi.Run(program.Run) }
