package herokusdk

import (
	"context"
	"reflect"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LookupAppArgs selects an existing app by name.
type LookupAppArgs struct {
	Name string `pulumi:"name"`
}

// LookupAppResult is the part of getApp's result the cutover reads.
type LookupAppResult struct {
	// Id is the provider's ID for the lookup.
	Id string `pulumi:"id"`
	// Name is the app's name.
	Name string `pulumi:"name"`
	// Uuid is the app's UUID, the value Domain and Formation take as appId.
	Uuid string `pulumi:"uuid"`
	// WebUrl is the app's own URL on herokuapp.com, e.g. https://my-app-0123abcd.herokuapp.com/.
	// Apps created since 2023 carry a random suffix, so this, not "<name>.herokuapp.com",
	// is the reliable address of the app itself.
	WebUrl string `pulumi:"webUrl"`
	// HerokuHostname is the provider's "<name>.herokuapp.com" rendering of the app host.
	HerokuHostname string `pulumi:"herokuHostname"`
	// Region is the app's Heroku region.
	Region string `pulumi:"region"`
}

// LookupAppOutputArgs is LookupAppArgs with an Input, for the output form of the invoke.
type LookupAppOutputArgs struct {
	Name pulumi.StringInput `pulumi:"name"`
}

// ElementType tells the SDK which plain struct LookupAppOutputArgs resolves to.
func (LookupAppOutputArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*LookupAppArgs)(nil)).Elem()
}

// LookupAppResultOutput is the eventual LookupAppResult.
type LookupAppResultOutput struct{ *pulumi.OutputState }

// ElementType tells the SDK which plain struct the output resolves to.
func (LookupAppResultOutput) ElementType() reflect.Type {
	return reflect.TypeOf((*LookupAppResult)(nil)).Elem()
}

// ToLookupAppResultOutput returns the output itself.
func (o LookupAppResultOutput) ToLookupAppResultOutput() LookupAppResultOutput { return o }

// ToLookupAppResultOutputWithContext returns the output itself.
func (o LookupAppResultOutput) ToLookupAppResultOutputWithContext(context.Context) LookupAppResultOutput {
	return o
}

// Uuid is the app's UUID.
func (o LookupAppResultOutput) Uuid() pulumi.StringOutput {
	return o.ApplyT(func(r LookupAppResult) string { return r.Uuid }).(pulumi.StringOutput)
}

// Name is the app's name.
func (o LookupAppResultOutput) Name() pulumi.StringOutput {
	return o.ApplyT(func(r LookupAppResult) string { return r.Name }).(pulumi.StringOutput)
}

// WebUrl is the app's own herokuapp.com URL.
func (o LookupAppResultOutput) WebUrl() pulumi.StringOutput {
	return o.ApplyT(func(r LookupAppResult) string { return r.WebUrl }).(pulumi.StringOutput)
}

// LookupAppOutput reads an existing app through the provider's getApp function. The app is
// not managed by the program; this only resolves its UUID and URL.
func LookupAppOutput(ctx *pulumi.Context, args LookupAppOutputArgs, opts ...pulumi.InvokeOption) LookupAppResultOutput {
	return ctx.InvokeOutput(GetAppToken, args, LookupAppResultOutput{}, pulumi.InvokeOutputOptions{
		InvokeOptions: invokeOpts(opts),
	}).(LookupAppResultOutput)
}

func init() {
	pulumi.RegisterOutputType(LookupAppResultOutput{})
}
