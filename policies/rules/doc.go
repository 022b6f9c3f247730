// Package rules builds the cutover policy pack: every check of POLICIES.md that Pulumi's policy
// engine can see, as policyx resource and stack policies with their enforcement levels, the
// deliberate waivers, and the same checks as plain functions (Check, CheckRetainOnDelete,
// CheckAllowlist, CheckPhaseDiff) for the offline plan and the tests, which see what the engine
// cannot (retainOnDelete, two phases side by side, the committed allow-list).
//
// It knows type tokens and property names, never the component packages, so that the plan can
// import it without importing the program.
package rules
