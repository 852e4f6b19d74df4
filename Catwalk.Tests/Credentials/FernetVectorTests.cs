using System.Text;
using System.Text.Json;
using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

public sealed class FernetVectorTests
{
    public static TheoryData<int> GenerateCases => [.. Enumerable.Range(0, FernetVectors.Load("generate.json").Count)];

    public static TheoryData<int> VerifyCases => [.. Enumerable.Range(0, FernetVectors.Load("verify.json").Count)];

    public static TheoryData<string> InvalidCases => [.. FernetVectors.Load("invalid.json").Select(v => v.GetProperty("desc").GetString()!)];

    [Fact]
    public void The_copied_vector_files_hold_every_official_case()
    {
        FernetVectors.Load("generate.json").Should().NotBeEmpty();
        FernetVectors.Load("verify.json").Should().NotBeEmpty();
        FernetVectors.Load("invalid.json").Should().HaveCountGreaterThanOrEqualTo(8);
    }

    [Theory]
    [MemberData(nameof(GenerateCases))]
    public void Encrypting_at_the_vectors_time_with_its_iv_gives_the_vectors_token_exactly(int index)
    {
        var vector = FernetVectors.Load("generate.json")[index];
        var iv = vector.GetProperty("iv").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
        var fernet = new Fernet(Key(vector), new FixedClock(FernetVectors.Now(vector)), new FixedIvSource(iv));

        var token = fernet.Encrypt(Encoding.UTF8.GetBytes(vector.GetProperty("src").GetString()!));

        token.Should().Be(vector.GetProperty("token").GetString());
    }

    [Theory]
    [MemberData(nameof(VerifyCases))]
    public void A_verify_vector_decrypts_to_its_source_within_its_ttl(int index)
    {
        var vector = FernetVectors.Load("verify.json")[index];
        var fernet = new Fernet(Key(vector), new FixedClock(FernetVectors.Now(vector)));

        var plaintext = fernet.Decrypt(vector.GetProperty("token").GetString()!, Ttl(vector));

        Encoding.UTF8.GetString(plaintext).Should().Be(vector.GetProperty("src").GetString());
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_vector_is_rejected(string description)
    {
        var vector = FernetVectors.Load("invalid.json").Single(v => v.GetProperty("desc").GetString() == description);
        var fernet = new Fernet(Key(vector), new FixedClock(FernetVectors.Now(vector)));

        var act = () => fernet.Decrypt(vector.GetProperty("token").GetString()!, Ttl(vector));

        act.Should().Throw<InvalidFernetTokenException>();
    }

    private static FernetKey Key(JsonElement vector) => FernetKey.Parse(vector.GetProperty("secret").GetString()!);

    private static TimeSpan Ttl(JsonElement vector) => TimeSpan.FromSeconds(vector.GetProperty("ttl_sec").GetInt32());
}
