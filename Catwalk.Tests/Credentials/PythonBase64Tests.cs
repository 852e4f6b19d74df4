using System.Text;
using Catwalk.Core.Credentials;

namespace Catwalk.Tests.Credentials;

/// <summary>Expected values are what Python 3.11's <c>base64.urlsafe_b64decode</c> returns for the same input.</summary>
public sealed class PythonBase64Tests
{
    [Theory]
    [InlineData("YQ==", "a")]
    [InlineData("YQ===", "a")]
    [InlineData("YQ==YWJj", "a")]
    [InlineData("Y Q = =", "a")]
    [InlineData("YWJj%", "abc")]
    [InlineData("YR==", "a")]
    [InlineData("=YQ==", "a")]
    [InlineData("YWI=YQ==", "ab")]
    [InlineData("", "")]
    public void Decoding_follows_pythons_lenient_rules(string text, string expected)
    {
        PythonBase64.TryDecodeUrlSafe(text, out var data).Should().BeTrue();
        Encoding.Latin1.GetString(data).Should().Be(expected);
    }

    [Fact]
    public void Both_the_url_safe_and_the_standard_characters_decode_and_encoding_writes_url_safe()
    {
        PythonBase64.TryDecodeUrlSafe("-_8=", out var urlSafe).Should().BeTrue();
        PythonBase64.TryDecodeUrlSafe("+/8=", out var standard).Should().BeTrue();

        urlSafe.Should().Equal(0xfb, 0xff).And.Equal(standard);
        PythonBase64.EncodeUrlSafe([0xfb, 0xff]).Should().Be("-_8=");
    }

    [Theory]
    [InlineData("YQ")]
    [InlineData("YQ=")]
    [InlineData("Y")]
    [InlineData("YWJjé")]
    public void Missing_padding_a_lone_character_and_non_ascii_are_refused(string text)
    {
        PythonBase64.TryDecodeUrlSafe(text, out _).Should().BeFalse();
    }
}
