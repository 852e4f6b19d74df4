using Catwalk.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Hosting;

/// <summary>The one way features read their settings: unset means the default, bad values fail start-up naming the variable.</summary>
public sealed class SettingReaderTests
{
    private static SettingReader Reader(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build());

    [Fact]
    public void Unset_or_blank_settings_mean_the_default_and_good_values_are_read()
    {
        var reader = Reader(("BLANK", "  "), ("COUNT", " 128 "), ("WAIT", "1.5"), ("IDLE", "0"), ("RATIO", "0.5"));

        reader.Text("MISSING").Should().BeNull();
        reader.Count("BLANK").Should().BeNull();
        reader.Duration("BLANK", DurationUnit.Seconds).Should().BeNull();
        reader.Count("COUNT", minimum: 64).Should().Be(128);
        reader.Duration("WAIT", DurationUnit.Seconds).Should().Be(TimeSpan.FromSeconds(1.5));
        reader.Duration("IDLE", DurationUnit.Minutes, zeroAllowed: true).Should().Be(TimeSpan.Zero);
        reader.Number("RATIO", 0, 1, "0.5").Should().Be(0.5);
        reader.Errors.Should().BeEmpty();
        reader.ThrowIfInvalid<SettingReaderTests>();
    }

    [Theory]
    [InlineData("lots", 1, "set it to a whole number greater than 0")]
    [InlineData("32", 64, "set it to a whole number of at least 64")]
    public void A_bad_count_fails_naming_the_variable_and_what_to_set(string value, int minimum, string hint)
    {
        var reader = Reader(("CATWALK_LOCAL_MEMORY_MB", value));

        reader.Count("CATWALK_LOCAL_MEMORY_MB", minimum).Should().BeNull();

        reader.Errors.Should().ContainSingle().Which.Should().Contain($"CATWALK_LOCAL_MEMORY_MB is '{value}'").And.Contain(hint);
    }

    [Theory]
    [InlineData("soon", "a plain number of seconds")]
    [InlineData("-3", "a plain number of seconds")]
    [InlineData("0", "greater than 0")]
    public void A_bad_duration_fails_naming_the_variable_and_the_forms_accepted(string value, string hint)
    {
        var reader = Reader(("CATWALK_READY_TIMEOUT", value));

        reader.Duration("CATWALK_READY_TIMEOUT", DurationUnit.Seconds).Should().BeNull();

        var line = reader.Errors.Should().ContainSingle().Subject;
        line.Should().Contain($"CATWALK_READY_TIMEOUT is '{value}'").And.Contain("30s, 15m, 2h, hh:mm:ss").And.Contain(hint);
        line.Should().NotContain("\n", "a bad setting is one line");
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_as_an_options_failure()
    {
        var reader = Reader(("CATWALK_WAKE_TIMEOUT", "later"), ("CATWALK_IDLE_TIMEOUT", "never"));
        reader.Duration("CATWALK_WAKE_TIMEOUT", DurationUnit.Seconds);
        reader.Duration("CATWALK_IDLE_TIMEOUT", DurationUnit.Minutes, zeroAllowed: true);

        var ending = () => reader.ThrowIfInvalid<SettingReaderTests>();

        ending.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("CATWALK_WAKE_TIMEOUT") && f.Contains("number of seconds"))
            .And.Contain(f => f.Contains("CATWALK_IDLE_TIMEOUT") && f.Contains("number of minutes") && f.Contains("0 turns it off"));
    }
}
