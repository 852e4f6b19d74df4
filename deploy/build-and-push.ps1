# Builds the Catwalk MCP machine image (deploy/Dockerfile) with Fly's builder and pushes it to Fly's registry as
# registry.fly.io/<FLY_MCP_APP_NAME>:<tag>. Writes one line to the output, FLY_MCP_IMAGE=<image>, the value to set
# on the Catwalk app.
#
#   $env:FLY_MCP_APP_NAME = 'my-catwalk-mcp'; ./deploy/build-and-push.ps1 [-Tag <tag>] [-FlyctlArgs '--local-only']
[CmdletBinding()]
param(
    [string] $Tag = ('mcp-' + (Get-Date).ToUniversalTime().ToString('yyyyMMddHHmmss')),
    [string[]] $FlyctlArgs = @()
)

$ErrorActionPreference = 'Stop'

$app = $env:FLY_MCP_APP_NAME
if ([string]::IsNullOrWhiteSpace($app)) {
    throw 'Set FLY_MCP_APP_NAME to the Fly app that holds the MCP machines (create it once with: fly apps create <name>).'
}
if ($app -cnotmatch '^[a-z0-9][a-z0-9-]{0,62}$') {
    throw "FLY_MCP_APP_NAME='$app' is not a Fly app name (lowercase letters, digits, dashes)."
}
if ($Tag -cnotmatch '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$') {
    throw "'$Tag' is not a valid image tag."
}

$flyctl = Get-Command flyctl, fly -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $flyctl) {
    throw 'flyctl is not installed: see https://fly.io/docs/flyctl/install/'
}

$here = $PSScriptRoot
& $flyctl.Source deploy $here `
    --config (Join-Path $here 'mcp-image.fly.toml') `
    --app $app `
    --build-only `
    --push `
    --image-label $Tag `
    @FlyctlArgs | ForEach-Object { [Console]::Error.WriteLine($_) }
if ($LASTEXITCODE -ne 0) {
    throw "flyctl deploy --build-only failed with exit code $LASTEXITCODE."
}

$image = "registry.fly.io/${app}:${Tag}"
[Console]::Error.WriteLine("Pushed $image. Give it to Catwalk with:`n  fly secrets set FLY_MCP_IMAGE=$image --app <your Catwalk app>")
Write-Output "FLY_MCP_IMAGE=$image"
