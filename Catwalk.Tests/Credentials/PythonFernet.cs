using System.Diagnostics;
using System.Text.Json;

namespace Catwalk.Tests.Credentials;

/// <summary>
/// Python's own <c>cryptography.fernet</c>, run as <c>python3 -c</c> (no shell); keys, messages and tokens travel
/// as JSON on stdin, results come back as JSON on stdout.
/// </summary>
internal static class PythonFernet
{
    private const string Script = """
        import json, sys
        from cryptography.fernet import Fernet, MultiFernet
        request = json.load(sys.stdin)
        ring = MultiFernet([Fernet(k) for k in request["keys"]])
        def attempt(action):
            try:
                return action()
            except Exception:
                return None
        op = request["op"]
        if op == "encrypt":
            result = [ring.encrypt(m.encode("utf-8")).decode("ascii") for m in request["values"]]
        elif op == "decrypt":
            result = [attempt(lambda t=t: ring.decrypt(t).decode("utf-8")) for t in request["values"]]
        elif op == "rotate":
            result = [ring.rotate(t).decode("ascii") for t in request["values"]]
        elif op == "timestamp":
            result = [ring.extract_timestamp(t) for t in request["values"]]
        else:
            raise SystemExit("unknown op " + op)
        json.dump(result, sys.stdout)
        """;

    public static async Task<List<T>> RunAsync<T>(string op, IEnumerable<string> keys, IEnumerable<string> values)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new { op, keys, values }).AsMemory(), ct);
        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 exited with {process.ExitCode}: {await stderr}");
        }

        return JsonSerializer.Deserialize<List<T>>(await stdout)!;
    }
}
