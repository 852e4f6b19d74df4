using System.Text;
using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

public sealed class FernetKeyRingTests
{
    private readonly FernetKey _newKey = FernetKey.Generate();
    private readonly FernetKey _oldKey = FernetKey.Generate();

    [Fact]
    public void The_first_key_encrypts_and_every_key_decrypts()
    {
        var ring = new FernetKeyRing([_newKey, _oldKey]);
        var underOld = new Fernet(_oldKey).Encrypt("old"u8);

        var fresh = ring.Encrypt("new"u8);

        new Fernet(_newKey).Decrypt(fresh).Should().Equal("new"u8.ToArray());
        ring.Decrypt(underOld).Should().Equal("old"u8.ToArray());
        var act = () => ring.Decrypt(new Fernet(FernetKey.Generate()).Encrypt("x"u8));
        act.Should().Throw<InvalidFernetTokenException>();
    }

    [Fact]
    public void Rotating_re_encrypts_under_the_first_key_and_keeps_the_original_timestamp()
    {
        var created = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var underOld = new Fernet(_oldKey, new FixedClock(created)).Encrypt("value"u8);
        var ring = new FernetKeyRing([_newKey, _oldKey], new FixedClock(created.AddYears(6)));

        var rotated = ring.Rotate(underOld);

        var newOnly = new Fernet(_newKey);
        newOnly.Decrypt(rotated).Should().Equal("value"u8.ToArray());
        newOnly.ExtractTimestamp(rotated).Should().Be((ulong)created.ToUnixTimeSeconds());
        ring.IsUnderPrimaryKey(underOld).Should().BeFalse();
        ring.IsUnderPrimaryKey(rotated).Should().BeTrue();
        ring.TryRotate(new Fernet(FernetKey.Generate()).Encrypt("x"u8), out _).Should().BeFalse();
    }

    [Fact]
    public void A_ring_parses_from_comma_separated_keys_with_spaces_around_them()
    {
        var ring = FernetKeyRing.Parse($" {_newKey.Export()} , {_oldKey.Export()}\n");

        ring.Count.Should().Be(2);
        new Fernet(_newKey).Decrypt(ring.Encrypt("x"u8)).Should().Equal("x"u8.ToArray());
    }

    [Fact]
    public void A_malformed_ring_says_which_entry_is_wrong_without_showing_it()
    {
        var secretLooking = "this-is-not-a-key-but-still-private";

        FernetKeyRing.TryParseKeys($"{_newKey.Export()},{secretLooking}", out _, out var problem).Should().BeFalse();
        problem.Should().Contain("entry 2 of 2").And.Contain("44 characters").And.NotContain(secretLooking);

        FernetKeyRing.TryParseKeys($",{_oldKey.Export()}", out _, out var empty).Should().BeFalse();
        empty.Should().Contain("entry 1 of 2 is empty");

        FernetKeyRing.TryParseKeys("  ", out _, out var none).Should().BeFalse();
        none.Should().Be("no key is set");
    }

    [Fact]
    public void The_secret_protector_round_trips_text_and_refuses_a_foreign_token()
    {
        var protector = new FernetSecretProtector(new FernetKeyRing([_newKey]));

        var protectedValue = protector.Protect("sk-or-v1-ünïcode");

        protectedValue.Should().NotContain("sk-or");
        protector.Unprotect(protectedValue).Should().Be("sk-or-v1-ünïcode");
        Encoding.UTF8.GetString(new Fernet(_newKey).Decrypt(protectedValue)).Should().Be("sk-or-v1-ünïcode");
        protector.TryUnprotect(new Fernet(_oldKey).Encrypt("x"u8), out _).Should().BeFalse();
        protector.TryUnprotect(new Fernet(_newKey).Encrypt([0xff, 0xfe]), out _).Should().BeFalse("those bytes are not UTF-8 text");
    }
}
