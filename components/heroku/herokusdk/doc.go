// Package herokusdk is a small typed binding for the pulumiverse Heroku provider. It stands in
// for the upstream Go SDK (github.com/pulumiverse/pulumi-heroku/sdk), which this module cannot
// depend on: it is not in go.mod and cannot be fetched where this program is built and tested.
//
// The binding registers the provider's real type tokens and property names, so a real
// `pulumi up` drives the real provider plugin, which the engine installs from
// PluginDownloadURL at Version. Only what the cutover needs is bound: Domain, Formation and the
// getApp invoke. Property names, required inputs and outputs follow the schema of provider
// version 1.0.4 (the pulumiverse/pulumi-heroku release published on 8 April 2025, the newest
// one the Pulumi Registry listed when this binding was written), which bridges the heroku
// Terraform provider.
//
// If the upstream SDK becomes available, switching to it changes no URN: the type tokens,
// resource names and parents stay the same.
package herokusdk
