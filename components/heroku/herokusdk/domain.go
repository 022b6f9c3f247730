package herokusdk

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Domain is a custom domain added to a Heroku app. Heroku answers for Hostname and gives the
// DNS target (Cname, a *.herokudns.com name) that a CNAME must point at.
type Domain struct {
	pulumi.CustomResourceState

	// AppId is the app's UUID.
	AppId pulumi.StringOutput `pulumi:"appId"`
	// Cname is the DNS target Heroku assigned to this domain.
	Cname pulumi.StringOutput `pulumi:"cname"`
	// Hostname is the custom domain.
	Hostname pulumi.StringOutput `pulumi:"hostname"`
	// SniEndpointId is the SNI endpoint serving the domain's certificate, if any.
	SniEndpointId pulumi.StringOutput `pulumi:"sniEndpointId"`
}

// domainArgs is the wire shape of DomainArgs; its tags are the schema's property names.
type domainArgs struct {
	AppId         string  `pulumi:"appId"`
	Hostname      string  `pulumi:"hostname"`
	SniEndpointId *string `pulumi:"sniEndpointId"`
}

// DomainArgs are the inputs of a Domain.
type DomainArgs struct {
	// AppId is the app's UUID, not its name: the provider stores the UUID it reads back, so
	// a name would show as a change (and a replacement) on every run. Required.
	AppId pulumi.StringInput
	// Hostname is the custom domain, e.g. api.example.com. Required.
	Hostname pulumi.StringInput
	// SniEndpointId attaches a specific SNI endpoint; leave nil when Heroku ACM issues the
	// certificate.
	SniEndpointId pulumi.StringPtrInput
}

// ElementType tells the SDK which plain struct DomainArgs resolves to.
func (DomainArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*domainArgs)(nil)).Elem()
}

// NewDomain registers a heroku:domain/domain:Domain.
func NewDomain(ctx *pulumi.Context, name string, args *DomainArgs, opts ...pulumi.ResourceOption) (*Domain, error) {
	if args == nil {
		return nil, errors.New("herokusdk: Domain args are required")
	}
	if args.AppId == nil {
		return nil, errors.New("herokusdk: Domain AppId is required")
	}
	if args.Hostname == nil {
		return nil, errors.New("herokusdk: Domain Hostname is required")
	}
	var d Domain
	if err := ctx.RegisterResource(DomainType, name, args, &d, resourceOpts(opts)...); err != nil {
		return nil, err
	}
	return &d, nil
}
