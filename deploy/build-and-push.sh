#!/usr/bin/env bash
# Builds the Catwalk MCP machine image (deploy/Dockerfile) with Fly's builder and pushes it to Fly's registry as
# registry.fly.io/<FLY_MCP_APP_NAME>:<tag>. Progress goes to stderr; stdout gets one line, FLY_MCP_IMAGE=<image>,
# the value to set on the Catwalk app.
#
#   FLY_MCP_APP_NAME=my-catwalk-mcp deploy/build-and-push.sh [tag] [extra flyctl flags, e.g. --local-only]
set -euo pipefail

fail() {
    printf 'build-and-push: %s\n' "$1" >&2
    exit "${2:-64}"
}

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
app="${FLY_MCP_APP_NAME:-}"
[[ -n "$app" ]] || fail "set FLY_MCP_APP_NAME to the Fly app that holds the MCP machines (create it once with: fly apps create <name>)."
[[ "$app" =~ ^[a-z0-9][a-z0-9-]{0,62}$ ]] || fail "FLY_MCP_APP_NAME='$app' is not a Fly app name (lowercase letters, digits, dashes)."

tag="${1:-mcp-$(date -u +%Y%m%d%H%M%S)}"
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$tag' is not a valid image tag."
shift $(($# > 0 ? 1 : 0))

flyctl="$(command -v flyctl || command -v fly || true)"
[[ -n "$flyctl" ]] || fail "flyctl is not installed: see https://fly.io/docs/flyctl/install/" 69

"$flyctl" deploy "$here" \
    --config "$here/mcp-image.fly.toml" \
    --app "$app" \
    --build-only \
    --push \
    --image-label "$tag" \
    "$@" >&2

image="registry.fly.io/${app}:${tag}"
printf 'Pushed %s. Give it to Catwalk with:\n  fly secrets set FLY_MCP_IMAGE=%s --app <your Catwalk app>\n' "$image" "$image" >&2
printf 'FLY_MCP_IMAGE=%s\n' "$image"
