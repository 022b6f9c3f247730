// Package program is the composition root of cutover: it loads and validates the stack's config,
// guards the phase move, builds the components in dependency order and exports the stack outputs.
// It is the only package that calls ctx.Export, and the output names below are a contract.
package program
