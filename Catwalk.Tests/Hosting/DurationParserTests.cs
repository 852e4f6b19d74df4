using Catwalk.Core.Hosting;

namespace Catwalk.Tests.Hosting;

/// <summary>The one duration parser every setting uses.</summary>
public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("7d", 604800)]
    [InlineData("1.5h", 5400)]
    [InlineData(" 15M ", 900)]
    [InlineData("00:01:30", 90)]
    [InlineData("1.00:00:00", 86400)]
    [InlineData("0", 0)]
    public void The_readmes_forms_read_the_same_for_every_variable(string text, double seconds)
    {
        DurationParser.TryParse(text, DurationUnit.Seconds, out var asSeconds).Should().BeTrue();
        DurationParser.TryParse(text, DurationUnit.Minutes, out var asMinutes).Should().BeTrue();

        asSeconds.Should().Be(TimeSpan.FromSeconds(seconds));
        asMinutes.Should().Be(asSeconds, "only a plain number depends on the variable's unit");
    }

    [Theory]
    [InlineData("90", DurationUnit.Seconds, 90)]
    [InlineData("2.5", DurationUnit.Seconds, 2.5)]
    [InlineData("30", DurationUnit.Minutes, 1800)]
    [InlineData("0.05", DurationUnit.Minutes, 3)]
    public void A_plain_number_is_in_the_variables_own_unit(string text, DurationUnit unit, double seconds)
    {
        DurationParser.TryParse(text, unit, out var duration).Should().BeTrue();

        duration.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("-00:00:05")]
    [InlineData("5 minutes")]
    [InlineData("1w")]
    [InlineData("")]
    [InlineData("1e400s")]
    public void Anything_else_is_refused(string text) =>
        DurationParser.TryParse(text, DurationUnit.Seconds, out _).Should().BeFalse();

    [Fact]
    public void The_forms_accepted_name_the_plain_numbers_unit() =>
        DurationParser.FormsAccepted(DurationUnit.Minutes).Should().Contain("30s").And.Contain("15m").And.Contain("2h")
            .And.Contain("hh:mm:ss").And.Contain("number of minutes");
}
