#!/usr/bin/env bash
# Catwalk MCP machine entrypoint: checks MCP_RUNTIME, MCP_PACKAGE and MCP_PACKAGE_VERSION against npm's and PyPI's
# naming rules (the same rules as Catwalk.Core.Packages.PackageNameRules), then execs mcp-proxy (the npm one) on
# [::]:8080 in front of `npx -y <package> [args…]` or `uvx <package> [args…]`. mcp-proxy answers /mcp only with the
# machine's secret, CATWALK_MACHINE_SECRET, in X-API-Key (401 otherwise); /ping stays open for health checks. The package string only ever travels as one argv element:
# it is never evaluated, word-split, globbed or handed to a shell. MCP_ARGS, the server's arguments, is a JSON array of
# strings (the limits of Catwalk.Core.Packages.ServerArgumentRules); python3 decodes it, replaces each ${NAME} with the
# machine's variable NAME (a credential) and hands back NUL-separated elements, each passed as one argv entry.
set -euo pipefail

fail() {
    printf 'catwalk-mcp-entrypoint: %s\n' "$1" >&2
    exit 64
}

# Validates one value against an extended regular expression with ASCII ranges (LC_ALL=C is local to the function,
# so the server's own locale is untouched).
matches() {
    local LC_ALL=C
    local value="$1" pattern="$2" max="$3" nocase="${4:-}"
    ((${#value} <= max)) || return 1
    if [[ -n "$nocase" ]]; then
        shopt -s nocasematch
        local result=1
        [[ "$value" =~ $pattern ]] && result=0
        shopt -u nocasematch
        return "$result"
    fi
    [[ "$value" =~ $pattern ]]
}

readonly NPM_NAME='^(@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~][a-z0-9._~-]*$'
readonly PYPI_NAME='^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$'
readonly NPM_VERSION='^[A-Za-z0-9][A-Za-z0-9.+_-]*$'
readonly PYPI_VERSION='^v?[0-9]+(![0-9]+)?([.][0-9]+)*([._-]?(a|b|c|rc|alpha|beta|pre|preview)[0-9]*)?([._-]?(post|rev|r)[0-9]*)?([._-]?dev[0-9]*)?([+][A-Za-z0-9.]+)?$'

# Reads MCP_ARGS from the environment (never from code): prints each argument NUL-terminated, then "ok".
readonly DECODE_ARGS='
import json, os, re, sys
def fail(message):
    sys.stderr.write("catwalk-mcp-entrypoint: MCP_ARGS " + message + "\n")
    sys.exit(64)
try:
    args = json.loads(os.environ["MCP_ARGS"])
except ValueError:
    fail("is not a JSON array of strings.")
if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
    fail("is not a JSON array of strings.")
if len(args) > 32:
    fail("holds more than 32 arguments.")
if any(len(a) > 1024 or "\0" in a or "\n" in a or "\r" in a for a in args):
    fail("holds an argument longer than 1024 characters or with a NUL or line break.")
def credential(match):
    name = match.group(1)
    if name not in os.environ:
        fail("references ${" + name + "}, which is not set on the machine.")
    return os.environ[name]
reference = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
out = sys.stdout.buffer
for a in args:
    out.write(reference.sub(credential, a).encode("utf-8", "surrogateescape") + b"\0")
out.write(b"ok\0")
'

server_args=()
if [[ -n "${MCP_ARGS:-}" ]]; then
    mapfile -d '' -t server_args < <(python3 -c "$DECODE_ARGS")
    ((${#server_args[@]} > 0)) && [[ "${server_args[-1]}" == "ok" ]] || fail "MCP_ARGS could not be read: see the message above."
    unset 'server_args[-1]'
fi

# mcp-proxy reads any MCP_PROXY_* variable as an option (MCP_PROXY_SHELL, MCP_PROXY_TUNNEL...): only this script sets
# one, so a credential can never change how the proxy runs.
for name in $(compgen -e); do
    [[ "$name" != MCP_PROXY_* ]] || fail "$name is set: MCP_PROXY_* variables are reserved for the machine's proxy."
done

secret="${CATWALK_MACHINE_SECRET:-}"
[[ -n "$secret" ]] || fail "CATWALK_MACHINE_SECRET is not set: Catwalk sets it; without it /mcp would answer anyone."
matches "$secret" '^[A-Za-z0-9_-]{32,}$' 256 || fail "CATWALK_MACHINE_SECRET is not a Catwalk machine secret (32 to 256 URL-safe Base64 characters)."

port="${MCP_PORT:-8080}"
matches "$port" '^[1-9][0-9]{0,4}$' 5 && ((port <= 65535)) || fail "MCP_PORT must be a TCP port number (default 8080)."

runtime="${MCP_RUNTIME:-}"
package="${MCP_PACKAGE:-}"
version="${MCP_PACKAGE_VERSION:-}"

[[ -n "$package" ]] || fail "MCP_PACKAGE is not set: Catwalk sets it to the npm or PyPI package to run."
# A leading dash would read as an option to npx or uvx, whatever the registry allows.
[[ "$package" != -* ]] || fail "MCP_PACKAGE must not start with '-'."

case "$runtime" in
    npm)
        matches "$package" "$NPM_NAME" 214 || fail "MCP_PACKAGE is not a valid npm package name."
        if [[ -n "$version" ]]; then
            matches "$version" "$NPM_VERSION" 64 || fail "MCP_PACKAGE_VERSION is not a valid npm version or tag."
            set -- npx -y "${package}@${version}"
        else
            set -- npx -y "$package"
        fi
        ;;
    pypi)
        matches "$package" "$PYPI_NAME" 128 || fail "MCP_PACKAGE is not a valid PyPI project name."
        if [[ -n "$version" ]]; then
            matches "$version" "$PYPI_VERSION" 64 nocase || fail "MCP_PACKAGE_VERSION is not a valid PyPI version."
            set -- uvx --from "${package}==${version}" "$package"
        else
            set -- uvx "$package"
        fi
        ;;
    *)
        fail "MCP_RUNTIME must be 'npm' or 'pypi'."
        ;;
esac

set -- "$@" "${server_args[@]}"

# The key travels in the proxy's environment, not its argv (which `ps` and crash reports show). The server inherits the
# machine's env (its credentials) and so can read its own machine's key: that opens only its own /mcp. --host :: listens
# on IPv6, which Fly's private network (6PN) needs; --server stream serves Streamable HTTP only (no legacy /sse).
export MCP_PROXY_API_KEY="$secret"
unset CATWALK_MACHINE_SECRET secret
exec mcp-proxy --host "::" --port "$port" --server stream -- "$@"
