package herokusdk

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

const (
	// Version is the pulumiverse Heroku provider release whose schema this binding follows.
	// Fact (Pulumi Registry, registry/packages/heroku): "Heroku v1.0.4 published on Tuesday,
	// Apr 8, 2025 by pulumiverse". Bump it only after checking the schema of the new release.
	Version = "1.0.4"

	// PluginDownloadURL is where the engine fetches the provider plugin: pulumiverse publishes
	// its providers as GitHub releases, not on Pulumi's own plugin server.
	PluginDownloadURL = "github://api.github.com/pulumiverse"
)

// Type tokens of the provider, as its schema declares them.
const (
	DomainType    = "heroku:domain/domain:Domain"
	FormationType = "heroku:formation/formation:Formation"
	GetAppToken   = "heroku:app/getApp:getApp"
)

// resourceOpts puts the plugin source and version first so that a caller's own options (for
// example an explicit provider) still apply after them.
func resourceOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{
		pulumi.PluginDownloadURL(PluginDownloadURL),
		pulumi.Version(Version),
	}, opts...)
}

func invokeOpts(opts []pulumi.InvokeOption) []pulumi.InvokeOption {
	return append([]pulumi.InvokeOption{
		pulumi.PluginDownloadURL(PluginDownloadURL),
		pulumi.Version(Version),
	}, opts...)
}
