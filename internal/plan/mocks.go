package plan

import "github.com/cutover-dev/cutover/internal/mockmon"

// Recorded is one registration as the program made it.
type Recorded = mockmon.Recorded
