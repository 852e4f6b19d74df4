using Catwalk.Core.Credentials;

namespace Catwalk.Web.CommandLine;

/// <summary>
/// <c>rotate-keys</c>: re-encrypts every stored credential, then every other secret kept under <c>ENCRYPTION_KEY</c>
/// (machine secrets, OpenRouter keys, OAuth server keys, data protection keys), under its first key.
/// Put the new key first and keep the old ones after it, deploy, run this, then drop the old keys.
/// Safe to interrupt and to run again.
/// </summary>
internal sealed class RotateKeysVerb : ICommandLineVerb
{
    private const int MaxBatchSize = 10_000;

    public string Name => "rotate-keys";

    public string Usage => $"rotate-keys [--batch-size N]   (default {CredentialKeyRotation.DefaultBatchSize}; " +
                           "ENCRYPTION_KEY=new-key,old-key... : every credential ends up under the first key)";

    public async Task<int> RunAsync(IServiceProvider services, CommandLineOptions options, CancellationToken cancellationToken)
    {
        var batchSize = ReadBatchSize(options);
        // A missing or malformed ENCRYPTION_KEY surfaces here as an OptionsValidationException: the entry point
        // prints its one line and exits with 2.
        var keys = services.GetRequiredService<FernetKeyRing>();

        Console.WriteLine($"Re-encrypting every stored credential and secret under the first of the {keys.Count} key(s) in " +
                          $"{CredentialEncryptionOptions.Variable}, {batchSize} per transaction.");
        if (keys.Count == 1)
        {
            Console.WriteLine($"{CredentialEncryptionOptions.Variable} holds a single key: rows under any other key cannot be read, only reported.");
        }

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            var summary = await services.GetRequiredService<CredentialKeyRotation>().RunAsync(batchSize, Report, interrupt.Token);
            Console.WriteLine($"Credentials: {summary.Examined} in {summary.Batches} batch(es); {summary.Rotated} re-encrypted, " +
                              $"{summary.AlreadyUnderFirstKey} already under the first key.");
            var others = await services.GetRequiredService<StoredSecretKeyRotation>().RunAsync(interrupt.Token);
            Console.WriteLine("The other secrets under it:");
            foreach (var store in others)
            {
                Console.WriteLine($"  {store.Store}: {store.Examined} examined, {store.Rotated} re-encrypted, {store.AlreadyUnderFirstKey} already current" +
                                  (store.Undecryptable > 0 ? $", {store.Undecryptable} undecryptable" : ""));
            }

            var failed = 0;
            if (summary.UndecryptableIds.Count > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"{summary.UndecryptableIds.Count} credential(s) decrypt under no key in {CredentialEncryptionOptions.Variable} and were left as they are " +
                    $"(credentials.Id: {string.Join(", ", summary.UndecryptableIds.Take(50))}{(summary.UndecryptableIds.Count > 50 ? ", ..." : "")}).");
                failed++;
            }

            foreach (var store in others.Where(s => s.Undecryptable > 0))
            {
                await Console.Error.WriteLineAsync(
                    $"{store.Undecryptable} of the {store.Store} decrypt under no key in {CredentialEncryptionOptions.Variable} and were left as they are.");
                failed++;
            }

            if (failed == 0)
            {
                Console.WriteLine("Done: everything is under the first key; the other keys can be dropped from " + CredentialEncryptionOptions.Variable + ".");
                return 0;
            }

            await Console.Error.WriteLineAsync(
                $"Add the key they were saved under to {CredentialEncryptionOptions.Variable} (after the first) and run rotate-keys again.");
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(
                "Interrupted. Every credential still decrypts with the current ENCRYPTION_KEY; run rotate-keys again to finish.");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static void Report(CredentialRotationProgress progress) =>
        Console.WriteLine($"  batch {progress.Batch}: {progress.Examined}/{progress.Total} examined, {progress.Rotated} re-encrypted, " +
                          $"{progress.AlreadyUnderFirstKey} already current" +
                          (progress.Undecryptable > 0 ? $", {progress.Undecryptable} undecryptable" : ""));

    private static int ReadBatchSize(CommandLineOptions options)
    {
        if (!options.Has("batch-size"))
        {
            return CredentialKeyRotation.DefaultBatchSize;
        }

        var text = options.Required("batch-size");
        return int.TryParse(text, out var size) && size is >= 1 and <= MaxBatchSize
            ? size
            : throw new CommandLineException($"--batch-size must be a whole number from 1 to {MaxBatchSize}, not '{text}'.");
    }
}
