// Package tests holds the cross-package tests of cutover: golden plans of every committed stack,
// the stack x phase matrix under the policy pack, the phase-diff proof, the egress allow-list
// contract and the README's generated tables. Nothing imports it.
package tests
