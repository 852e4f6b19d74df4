using Catwalk.Core.Deployments;
using Catwalk.Core.Packages;

namespace Catwalk.Tests.Packages;

public sealed class ServerArgumentRulesTests
{
    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public void An_argument_with_a_line_break_or_nul_is_refused_with_its_position(string bad)
    {
        ServerArgumentRules.Validate(["--stdio", bad]).Should().Contain("Argument 2").And.Contain("NUL or line break");
    }

    [Fact]
    public void Too_many_or_too_long_arguments_are_refused_and_ordinary_ones_pass()
    {
        ServerArgumentRules.Validate(Enumerable.Repeat("x", ServerArgumentRules.MaxCount + 1).ToList()).Should().Contain("at most 32");
        ServerArgumentRules.Validate([new string('a', ServerArgumentRules.MaxLength + 1)]).Should().Contain("longer than 1024");
        ServerArgumentRules.Validate([null]).Should().Contain("null");
        ServerArgumentRules.Validate(["--stdio", "a b; $(rm -rf /)", "--dir=/data", "ünïcode"]).Should().BeNull();
        ServerArgumentRules.Validate(null).Should().BeNull();
    }

    [Fact]
    public void References_name_credentials_and_are_replaced_only_by_substitution()
    {
        string[] arguments = ["--api-key=${API_KEY}", "${REGION}", "$HOME", "${not valid}"];

        ServerArgumentRules.References(arguments).Should().Equal("API_KEY", "REGION");
        ServerArgumentRules.ValidateReferences(arguments, ["API_KEY"]).Should().Contain("${REGION}").And.Contain("add it to env");
        ServerArgumentRules.ValidateReferences(arguments, ["API_KEY", "REGION"]).Should().BeNull();
        ServerArgumentRules.Substitute(arguments, new Dictionary<string, string> { ["API_KEY"] = "k$(x)", ["REGION"] = "eu" })
            .Should().Equal("--api-key=k$(x)", "eu", "$HOME", "${not valid}");
        var missing = () => ServerArgumentRules.Substitute(["${NOPE}"], new Dictionary<string, string>());
        missing.Should().Throw<ArgumentException>().WithMessage("*${NOPE}*");
    }

    [Fact]
    public void A_secret_in_an_argument_becomes_a_credential_and_the_argument_references_it()
    {
        var (arguments, environment) = ArgumentCredentials.Extract(
            ["--stdio", "--api-key=sk-live-1", "--token", "tok-2", "--region", "eu", "--password=${DB_PASSWORD}"],
            new Dictionary<string, string> { ["API_KEY"] = "another", ["DB_PASSWORD"] = "p" });

        arguments.Should().Equal("--stdio", "--api-key=${API_KEY_2}", "--token", "${TOKEN}", "--region", "eu", "--password=${DB_PASSWORD}");
        environment.Should().Contain(new KeyValuePair<string, string>("API_KEY_2", "sk-live-1"))
            .And.Contain(new KeyValuePair<string, string>("TOKEN", "tok-2"))
            .And.Contain(new KeyValuePair<string, string>("API_KEY", "another"));
        environment.Values.Should().NotContain("eu");
    }
}
