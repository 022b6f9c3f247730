# Developer entry points. CI runs .ci/run; these are the same commands by name.
.PHONY: test plan e2e

# The unit, mock and cross-package tests (the README's test command).
test:
	go test ./...

# The offline plan of the production stack.
plan:
	go run ./cmd/cutover plan --stack production

# End to end with the real Pulumi engine, Kubernetes provider and API server,
# offline: builds the tools into .tools/bin (reused when current), then runs
# tests/e2e. See tools/build.sh and tests/e2e/doc.go.
e2e:
	bash tools/build.sh
	go test -tags e2e -count=1 -timeout 60m ./tests/e2e/ -v
