package herokusdk

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Formation is the size and count of one process type of a Heroku app. Heroku has no delete
// for formations: removing the resource leaves the dynos as they are.
type Formation struct {
	pulumi.CustomResourceState

	// AppId is the app's UUID.
	AppId pulumi.StringOutput `pulumi:"appId"`
	// Quantity is the number of dynos of this process type.
	Quantity pulumi.IntOutput `pulumi:"quantity"`
	// Size is the dyno type, e.g. "standard-2x".
	Size pulumi.StringOutput `pulumi:"size"`
	// Type is the process type, e.g. "web".
	Type pulumi.StringOutput `pulumi:"type"`
}

// formationArgs is the wire shape of FormationArgs; its tags are the schema's property names.
type formationArgs struct {
	AppId    string `pulumi:"appId"`
	Quantity int    `pulumi:"quantity"`
	Size     string `pulumi:"size"`
	Type     string `pulumi:"type"`
}

// FormationArgs are the inputs of a Formation. All four are required by the schema.
type FormationArgs struct {
	// AppId is the app's UUID, not its name (see DomainArgs.AppId).
	AppId pulumi.StringInput
	// Quantity is the number of dynos to run.
	Quantity pulumi.IntInput
	// Size is the dyno type; the provider compares it case-insensitively.
	Size pulumi.StringInput
	// Type is the process type from the app's Procfile.
	Type pulumi.StringInput
}

// ElementType tells the SDK which plain struct FormationArgs resolves to.
func (FormationArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*formationArgs)(nil)).Elem()
}

// NewFormation registers a heroku:formation/formation:Formation.
func NewFormation(ctx *pulumi.Context, name string, args *FormationArgs, opts ...pulumi.ResourceOption) (*Formation, error) {
	if args == nil {
		return nil, errors.New("herokusdk: Formation args are required")
	}
	var missing []error
	if args.AppId == nil {
		missing = append(missing, errors.New("herokusdk: Formation AppId is required"))
	}
	if args.Quantity == nil {
		missing = append(missing, errors.New("herokusdk: Formation Quantity is required"))
	}
	if args.Size == nil {
		missing = append(missing, errors.New("herokusdk: Formation Size is required"))
	}
	if args.Type == nil {
		missing = append(missing, errors.New("herokusdk: Formation Type is required"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	var f Formation
	if err := ctx.RegisterResource(FormationType, name, args, &f, resourceOpts(opts)...); err != nil {
		return nil, err
	}
	return &f, nil
}
