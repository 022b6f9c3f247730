// Package heroku builds the Heroku side of the cutover: the API hostname as a custom domain on
// the existing app (which yields the DNS target of the heroku weighted record) and the app's
// formation, scaled down with the AWS share of traffic.
//
// The app itself is not managed here. It is looked up by name through the provider's getApp
// function, because Domain and Formation take the app's UUID, not its name.
//
// Resources are registered through the sub-package herokusdk, a small typed binding that
// stands in for the upstream pulumiverse Go SDK.
package heroku
