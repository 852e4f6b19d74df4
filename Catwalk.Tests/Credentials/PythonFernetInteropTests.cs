using System.Text;
using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

/// <summary>Catwalk and Python's <c>cryptography</c> read each other's tokens and keys.</summary>
public sealed class PythonFernetInteropTests
{
    // Lengths that give tokens ending in "==", "=" and no padding at all.
    private static readonly string[] Messages = ["hello", "sk-live-0123456789abcd", "ünïcödé value that fills three blocks!!"];

    private readonly FernetKey _key = FernetKey.Generate();

    [Fact]
    public async Task Tokens_made_by_python_decrypt_in_catwalk()
    {
        var tokens = await PythonFernet.RunAsync<string>("encrypt", [_key.Export()], Messages);

        var fernet = new Fernet(_key);
        tokens.Select(t => Encoding.UTF8.GetString(fernet.Decrypt(t))).Should().Equal(Messages);
    }

    [Fact]
    public async Task Tokens_made_by_catwalk_decrypt_in_python()
    {
        var fernet = new Fernet(_key);
        var tokens = Messages.Select(m => fernet.Encrypt(Encoding.UTF8.GetBytes(m))).ToList();

        var decrypted = await PythonFernet.RunAsync<string?>("decrypt", [_key.Export()], tokens);

        decrypted.Should().Equal(Messages);
    }

    [Fact]
    public async Task A_key_generated_by_catwalk_and_a_rotation_by_either_side_work_on_the_other()
    {
        var oldKey = FernetKey.Generate();
        var ring = new FernetKeyRing([_key, oldKey]);
        var underOld = new Fernet(oldKey).Encrypt("rotate me"u8);
        string[] ringText = [_key.Export(), oldKey.Export()];

        var rotatedByPython = (await PythonFernet.RunAsync<string>("rotate", ringText, [underOld])).Single();
        var rotatedByCatwalk = ring.Rotate(underOld);

        new Fernet(_key).Decrypt(rotatedByPython).Should().Equal("rotate me"u8.ToArray());
        (await PythonFernet.RunAsync<string?>("decrypt", [_key.Export()], [rotatedByCatwalk])).Should().Equal("rotate me");
        var timestamps = await PythonFernet.RunAsync<ulong>("timestamp", [_key.Export()], [rotatedByCatwalk, rotatedByPython]);
        timestamps.Should().AllBeEquivalentTo(new Fernet(oldKey).ExtractTimestamp(underOld));
    }

    [Fact]
    public async Task Catwalk_accepts_and_rejects_exactly_the_odd_token_spellings_python_does()
    {
        var fernet = new Fernet(_key);
        var variants = Messages.SelectMany(m => Spellings(fernet.Encrypt(Encoding.UTF8.GetBytes(m)))).ToList();

        var python = await PythonFernet.RunAsync<string?>("decrypt", [_key.Export()], variants);
        var catwalk = variants.Select(v => fernet.TryDecrypt(v, null, out var p) ? Encoding.UTF8.GetString(p) : null).ToList();

        catwalk.Should().Equal(python);
        python.Should().Contain(p => p == null).And.Contain(p => p != null, "the comparison must cover both outcomes");
    }

    private static IEnumerable<string> Spellings(string token)
    {
        yield return token;
        yield return token.TrimEnd('=');
        yield return token + "=";
        yield return token + "AAAA";
        yield return token.Insert(10, "\n");
        yield return token.Insert(10, "%%");
        yield return token.Insert(10, "=");
        yield return token.Insert(10, "==");
        yield return token.Insert(10, "é");
        yield return token.Replace('-', '+').Replace('_', '/');
        yield return $"  {token}\n";
        yield return token[..^1];
        yield return token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        yield return "";
    }
}
