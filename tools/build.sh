#!/usr/bin/env bash
# Builds the four programs the end-to-end test (tests/e2e) drives, from the Go
# module proxy, into .tools/bin (git-ignored):
#
#   pulumi                       the Pulumi CLI and engine        (tools/pulumi)
#   pulumi-resource-kubernetes   the Kubernetes provider plugin   (tools/kubernetes-provider)
#   kube-apiserver               the Kubernetes API server        (tools/kube-apiserver)
#   etcd                         the API server's storage         (tools/etcd)
#
# Each tool has its own wrapper module under tools/: their dependency graphs
# disagree (the provider is built against client-go v0.33, the API server is
# v0.37; etcd 3.7 is newer than the client the API server pins), so one module
# could not hold them without changing what each upstream release is.
#
# A binary is reused when its stamp file (.tools/bin/<name>.stamp) matches the
# tool's version, the Go version and the wrapper's go.mod/go.sum; otherwise it
# is rebuilt. One tool is built at a time under `nice`: the machine has two
# cores and a build already uses both. Each build logs to .tools/logs/<name>.log;
# a failure prints the tail of that log.
#
# Usage: tools/build.sh [--force]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/.tools/bin"
logs="$root/.tools/logs"
src="$root/.tools/src"
force=false
if [ "${1:-}" = "--force" ]; then force=true; fi
mkdir -p "$bin" "$logs" "$src"

# Versions, kept in step with the wrapper modules' go.mod files.
pulumi_version=v3.274.1
provider_module=github.com/pulumi/pulumi-kubernetes/provider/v4
provider_version=v4.0.0-20260115033456-f47bc2d6f199
kubernetes_version=v1.37.2
etcd_version=v3.7.3

total_start=$(date +%s)
go_version=$(go env GOVERSION)

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# stamp_for DIR VERSION: the identity of a build; any change rebuilds.
stamp_for() {
  local dir=$1 version=$2
  printf '%s %s %s\n' "$version" "$go_version" \
    "$(cat "$root/tools/$dir/go.mod" "$root/tools/$dir/go.sum" | sha256sum | cut -c1-16)"
}

# build NAME DIR VERSION PACKAGE LDFLAGS: builds PACKAGE inside the wrapper
# module tools/DIR into .tools/bin/NAME unless the stamp says it is current.
build() {
  local name=$1 dir=$2 version=$3 pkg=$4 ldflags=$5
  local out="$bin/$name" stampfile="$bin/$name.stamp" logfile="$logs/$name.log"
  local want
  want=$(stamp_for "$dir" "$version")
  if ! $force && [ -x "$out" ] && [ -f "$stampfile" ] && [ "$(cat "$stampfile")" = "$want" ]; then
    log "$name $version: up to date, reused ($out)"
    return 0
  fi
  log "$name $version: building $pkg (log: ${logfile#"$root"/})"
  local start
  start=$(date +%s)
  rm -f "$stampfile"
  # -mod=readonly: the committed go.sum is the whole truth; a missing sum is a
  # bug in the wrapper module, not something to fetch silently.
  if ! (cd "$root/tools/$dir" &&
        GOFLAGS="-mod=readonly -buildvcs=false" nice -n 10 \
          go build -ldflags "$ldflags" -o "$out.tmp" "$pkg") >"$logfile" 2>&1; then
    log "$name: build FAILED after $(( $(date +%s) - start ))s; last lines of $logfile:"
    tail -n 40 "$logfile" >&2
    rm -f "$out.tmp"
    exit 1
  fi
  mv "$out.tmp" "$out"
  printf '%s' "$want" >"$stampfile"
  log "$name $version: built in $(( $(date +%s) - start ))s ($(du -h "$out" | cut -f1))"
}

# The provider's module zip lacks the two JSON files its main package embeds
# (its Makefile generates them from schema.json and terraform-mapping.json),
# so it is built from a writable copy that adds them. The copy is remade when
# the version changes.
prepare_provider_source() {
  local copy="$src/pulumi-kubernetes-provider" marker="$src/pulumi-kubernetes-provider.version"
  if [ -d "$copy" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$provider_version" ]; then
    return 0
  fi
  log "pulumi-resource-kubernetes: preparing a writable copy of $provider_module@$provider_version"
  # Downloaded from outside any module: the wrapper's replace points at the
  # copy this function is about to make.
  local dir scratch
  scratch=$(mktemp -d)
  dir=$(cd "$scratch" && GOFLAGS= GOWORK=off go mod download -json \
          "$provider_module@$provider_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rmdir "$scratch"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    log "pulumi-resource-kubernetes: could not download $provider_module@$provider_version" >&2
    exit 1
  fi
  rm -rf "$copy"
  cp -r "$dir" "$copy"
  chmod -R u+w "$copy"
  local cmd="$copy/cmd/pulumi-resource-kubernetes"
  cp "$cmd/schema.json" "$cmd/schema-embed.json"
  cp "$cmd/terraform-mapping.json" "$cmd/terraform-mapping-embed.json"
  printf '%s' "$provider_version" >"$marker"
}

log "building end-to-end tools into ${bin#"$root"/} with $go_version"

build etcd etcd "$etcd_version" go.etcd.io/etcd/server/v3 ""

kubernetes_minor=${kubernetes_version#v1.}; kubernetes_minor=${kubernetes_minor%%.*}
build kube-apiserver kube-apiserver "$kubernetes_version" k8s.io/kubernetes/cmd/kube-apiserver \
  "-X k8s.io/component-base/version.gitVersion=$kubernetes_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$kubernetes_minor -X k8s.io/component-base/version.gitTreeState=clean"

build pulumi pulumi "$pulumi_version" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version"

prepare_provider_source
build pulumi-resource-kubernetes kubernetes-provider "$provider_version" \
  "$provider_module/cmd/pulumi-resource-kubernetes" \
  "-X $provider_module/pkg/version.Version=${provider_version#v}"

log "all tools ready in $(( $(date +%s) - total_start ))s"
