// Package dyno describes Heroku dyno sizes in Kubernetes terms, so a service
// that ran on a given dyno type can be given matching requests on EKS.
//
// It has no Pulumi dependency: config validation and the service component
// both import it.
package dyno
