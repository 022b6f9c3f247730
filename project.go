// Package cutover carries the Pulumi project file, so the config declarations in it (types and
// defaults) are read by the program and the offline plan instead of being repeated in Go.
package cutover

import _ "embed"

// ProjectFile is Pulumi.yaml as committed.
//
//go:embed Pulumi.yaml
var ProjectFile []byte

// Namespace is the config namespace of every cutover key (the project name).
const Namespace = "cutover"
