// Package mockmon builds the recording Pulumi mock monitor that the offline plan and every
// component test run under: it keeps each registration (inputs, options, the URN the engine would
// give it) and answers with deterministic, clearly fake outputs, so a graph can be asserted on
// after pulumi.RunErr returns and two runs print identical bytes.
//
// Fake values are recognisably fake: documentation-range IPs (RFC 5737), .example hosts and ARNs
// in account 123456789012. They derive from the URN, so a resource keeps its fake ID and outputs
// across runs, and a test can tell two resources' IDs apart.
package mockmon
