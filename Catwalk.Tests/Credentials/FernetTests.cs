using System.Text;
using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

public sealed class FernetTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_round_trips_and_two_tokens_of_one_message_differ_by_their_random_iv()
    {
        var fernet = new Fernet(FernetKey.Generate());

        var first = fernet.Encrypt("sk-live-123"u8);
        var second = fernet.Encrypt("sk-live-123"u8);

        first.Should().NotBe(second).And.StartWith("gAAAAA");
        Encoding.UTF8.GetString(fernet.Decrypt(first)).Should().Be("sk-live-123");
        Encoding.UTF8.GetString(fernet.Decrypt(second)).Should().Be("sk-live-123");
    }

    [Fact]
    public void An_empty_message_and_a_block_sized_one_round_trip()
    {
        var fernet = new Fernet(FernetKey.Generate());

        fernet.Decrypt(fernet.Encrypt([])).Should().BeEmpty();
        fernet.Decrypt(fernet.Encrypt(new byte[16])).Should().Equal(new byte[16]);
    }

    [Fact]
    public void The_ttl_rejects_a_token_older_than_it_and_one_more_than_60_seconds_ahead()
    {
        var clock = new FixedClock(Created);
        var fernet = new Fernet(FernetKey.Generate(), clock);
        var token = fernet.Encrypt("v"u8);
        var ttl = TimeSpan.FromMinutes(5);

        clock.Now = Created.AddSeconds(300);
        fernet.TryDecrypt(token, ttl, out _).Should().BeTrue("exactly the ttl old is still accepted, as in Python");
        clock.Now = Created.AddSeconds(301);
        fernet.TryDecrypt(token, ttl, out _).Should().BeFalse();
        fernet.TryDecrypt(token, ttl: null, out _).Should().BeTrue("without a ttl age does not matter");

        clock.Now = Created.AddSeconds(-60);
        fernet.TryDecrypt(token, ttl, out _).Should().BeTrue("60 seconds of clock skew are allowed");
        clock.Now = Created.AddSeconds(-61);
        fernet.TryDecrypt(token, ttl, out _).Should().BeFalse();
    }

    [Fact]
    public void A_token_under_another_key_or_with_any_byte_changed_is_rejected()
    {
        var key = FernetKey.Generate();
        var token = new Fernet(key).Encrypt("secret"u8);

        new Fernet(FernetKey.Generate()).TryDecrypt(token, null, out _).Should().BeFalse();
        for (var i = 0; i < token.Length - 2; i += 7)
        {
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            new Fernet(key).TryDecrypt(altered, null, out _).Should().BeFalse($"character {i} was changed");
        }
    }

    [Fact]
    public void The_timestamp_is_the_encryption_time_and_is_read_only_after_the_signature_verifies()
    {
        var key = FernetKey.Generate();
        var token = new Fernet(key, new FixedClock(Created)).Encrypt("x"u8);

        new Fernet(key).ExtractTimestamp(token).Should().Be((ulong)Created.ToUnixTimeSeconds());
        var act = () => new Fernet(FernetKey.Generate()).ExtractTimestamp(token);
        act.Should().Throw<InvalidFernetTokenException>();
    }

    [Fact]
    public void A_key_parses_from_its_exported_form_and_never_shows_itself_in_ToString()
    {
        var key = FernetKey.Generate();
        var exported = key.Export();

        exported.Should().HaveLength(44).And.EndWith("=").And.NotContainAny("+", "/");
        var token = new Fernet(FernetKey.Parse(exported)).Encrypt("x"u8);
        new Fernet(key).Decrypt(token).Should().Equal("x"u8.ToArray());
        key.ToString().Should().NotContain(exported[..10]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("too-short")]
    [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_key_that_is_not_32_bytes_of_padded_base64_is_refused(string text)
    {
        FernetKey.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void A_key_with_text_after_its_padding_is_accepted_as_python_accepts_it()
    {
        FernetKey.TryParse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=AAAA", out var key).Should().BeTrue();
        key!.Export().Should().Be("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    }
}
