using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The Fly Machines API for the MCP app (<c>FLY_MCP_APP_NAME</c>): create, get, list, start, stop, wait, update,
/// destroy. Timeouts, retries and the circuit breaker live in the client's resilience pipeline; this class turns
/// every failure into a <see cref="FlyApiException"/> whose message says which call failed and why.
/// </summary>
public sealed class FlyMachinesClient(HttpClient http, IOptions<FlyRuntimeOptions> options)
{
    private string App => Uri.EscapeDataString(options.Value.AppName ?? throw new InvalidOperationException("FLY_MCP_APP_NAME is not set."));

    /// <summary>Never retried: a lost answer surfaces as <see cref="FlyApiException.MayHaveBeenApplied"/>.</summary>
    public async Task<FlyMachine> CreateAsync(FlyCreateMachineRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"apps/{App}/machines", request, repeatable: false,
            TimeSpan.Zero, $"Creating Fly machine {request.Name}", cancellationToken);
        return await ReadAsync<FlyMachine>(response, $"Creating Fly machine {request.Name}", cancellationToken);
    }

    /// <summary>The machine, or null when the app has no such machine.</summary>
    public async Task<FlyMachine?> GetAsync(string machineId, CancellationToken cancellationToken)
    {
        var operation = $"Reading Fly machine {machineId}";
        using var response = await SendAsync(HttpMethod.Get, MachinePath(machineId), null, repeatable: true, TimeSpan.Zero, operation, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<FlyMachine>(response, operation, cancellationToken);
    }

    /// <summary>The app's machines (destroyed ones excluded), optionally only those whose metadata has all the given values.</summary>
    public async Task<IReadOnlyList<FlyMachine>> ListAsync(IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var query = metadata is null || metadata.Count == 0
            ? ""
            : "?" + string.Join("&", metadata.Select(m => $"metadata.{Uri.EscapeDataString(m.Key)}={Uri.EscapeDataString(m.Value)}"));
        const string operation = "Listing Fly machines";
        using var response = await SendAsync(HttpMethod.Get, $"apps/{App}/machines{query}", null, repeatable: true, TimeSpan.Zero, operation, cancellationToken);
        return await ReadAsync<List<FlyMachine>>(response, operation, cancellationToken);
    }

    public async Task StartAsync(string machineId, CancellationToken cancellationToken)
    {
        var operation = $"Starting Fly machine {machineId}";
        using var response = await SendAsync(HttpMethod.Post, MachinePath(machineId) + "/start", null, repeatable: true, TimeSpan.Zero, operation, cancellationToken);
        await EnsureSuccessAsync(response, operation, cancellationToken);
    }

    public async Task StopAsync(string machineId, CancellationToken cancellationToken)
    {
        var operation = $"Stopping Fly machine {machineId}";
        using var response = await SendAsync(HttpMethod.Post, MachinePath(machineId) + "/stop", null, repeatable: true, TimeSpan.Zero, operation, cancellationToken);
        await EnsureSuccessAsync(response, operation, cancellationToken);
    }

    /// <summary>Blocks (server side) until the machine reaches <paramref name="state"/>: true when it did, false when the
    /// API's own timeout passed first (408). <paramref name="instanceId"/> waits for that version of the machine (after an update).</summary>
    public async Task<bool> WaitAsync(string machineId, string state, TimeSpan timeout, string? instanceId, CancellationToken cancellationToken)
    {
        var seconds = Math.Clamp((int)Math.Ceiling(timeout.TotalSeconds), 1, 60);
        var operation = $"Waiting for Fly machine {machineId} to be {state}";
        var instance = instanceId is null ? "" : "&instance_id=" + Uri.EscapeDataString(instanceId);
        using var response = await SendAsync(HttpMethod.Get,
            $"{MachinePath(machineId)}/wait?state={Uri.EscapeDataString(state)}&timeout={seconds.ToString(CultureInfo.InvariantCulture)}{instance}",
            null, repeatable: true, TimeSpan.FromSeconds(seconds), operation, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return false;
        }

        await EnsureSuccessAsync(response, operation, cancellationToken);
        return true;
    }

    /// <summary>Replaces the machine's config (Fly restarts it). Never retried, like create.</summary>
    public async Task<FlyMachine> UpdateAsync(string machineId, FlyUpdateMachineRequest request, CancellationToken cancellationToken)
    {
        var operation = $"Updating Fly machine {machineId}";
        using var response = await SendAsync(HttpMethod.Post, MachinePath(machineId), request, repeatable: false, TimeSpan.Zero, operation, cancellationToken);
        return await ReadAsync<FlyMachine>(response, operation, cancellationToken);
    }

    /// <summary>Destroys the machine, stopping it first when <paramref name="force"/>; false when it was already gone.</summary>
    public async Task<bool> DestroyAsync(string machineId, bool force, CancellationToken cancellationToken)
    {
        var operation = $"Destroying Fly machine {machineId}";
        using var response = await SendAsync(HttpMethod.Delete, MachinePath(machineId) + (force ? "?force=true" : ""), null,
            repeatable: true, TimeSpan.Zero, operation, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, operation, cancellationToken);
        return true;
    }

    private string MachinePath(string machineId) =>
        FlyUpstreamUrls.IsMachineId(machineId)
            ? $"apps/{App}/machines/{machineId}"
            : throw new ArgumentException($"'{machineId}' is not a Fly machine id.", nameof(machineId));

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, object? body, bool repeatable, TimeSpan extraTime, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: FlyJson.Options);
        }

        request.Options.Set(FlyCallPolicy.Repeatable, repeatable);
        request.Options.Set(FlyCallPolicy.ExtraTime, extraTime);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            throw new FlyApiUnavailableException(
                $"{operation} failed: the Fly Machines API is unavailable (it kept failing, so Catwalk stopped calling it for up to " +
                $"{Describe(options.Value.Resilience.BreakDuration)}). Check https://status.flyio.net and try again.", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new FlyApiException($"{operation} failed: the Fly Machines API did not answer in time ({Describe(ex.Timeout)}).",
                HttpStatusCode.RequestTimeout, mayHaveBeenApplied: true, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FlyApiException($"{operation} failed: could not reach the Fly Machines API ({ex.HttpRequestError}).",
                null, mayHaveBeenApplied: true, ex);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, operation, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(FlyJson.Options, cancellationToken)
                   ?? throw new FlyApiException($"{operation} failed: the Fly Machines API answered with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new FlyApiException($"{operation} failed: the Fly Machines API answered with JSON Catwalk cannot read.", ex);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var error = await ReadErrorAsync(response, cancellationToken);
        var lost = status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
        throw new FlyApiException(
            $"{operation} failed: the Fly Machines API answered {status} {response.ReasonPhrase}{(error is null ? "" : $": {error}")}",
            response.StatusCode, lost)
        {
            RetryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => null,
            },
        };
    }

    /// <summary>The API's <c>{"error": "..."}</c> text, shortened; other bodies are not echoed (they are not ours to show).</summary>
    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<FlyErrorBody>(FlyJson.Options, cancellationToken);
            var error = body?.Error?.Trim();
            return string.IsNullOrEmpty(error) ? null : error.Length <= 500 ? error : error[..497] + "...";
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#}s" : $"{span.TotalMilliseconds:0}ms";
}
