// Package plan runs the real cutover program in-process under recording Pulumi mocks, with a
// stack's config read from its stack file, and returns the resource graph it declared, its outputs
// and the policy pack's verdict: the offline `cutover plan`, also used by the tests.
package plan
