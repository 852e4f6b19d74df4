using Catwalk.Core.Machines.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Machines.Local;

public sealed class LocalSettingReaderTests
{
    private static LocalSettingReader Reader(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build(), typeof(LocalSandboxOptions));

    [Fact]
    public void Unset_or_blank_settings_mean_the_default_and_good_values_are_read()
    {
        var reader = Reader(("BLANK", "  "), ("COUNT", " 128 "), ("SECONDS", "1.5"));

        reader.Text("MISSING").Should().BeNull();
        reader.Count("BLANK").Should().BeNull();
        reader.Count("COUNT", minimum: 64).Should().Be(128);
        reader.Seconds("SECONDS").Should().Be(TimeSpan.FromSeconds(1.5));
    }

    [Theory]
    [InlineData("lots", 1, "set it to a whole number greater than 0")]
    [InlineData("32", 64, "set it to a whole number of at least 64")]
    public void A_bad_count_fails_naming_the_variable_and_what_to_set(string value, int minimum, string hint)
    {
        var reading = () => Reader(("CATWALK_LOCAL_MEMORY_MB", value)).Count("CATWALK_LOCAL_MEMORY_MB", minimum);

        reading.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain($"CATWALK_LOCAL_MEMORY_MB is '{value}'").And.Contain(hint);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-3")]
    public void A_bad_duration_fails_naming_the_variable(string value)
    {
        var reading = () => Reader(("CATWALK_LOCAL_STABLE_RUN_SECONDS", value)).Seconds("CATWALK_LOCAL_STABLE_RUN_SECONDS");

        reading.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain($"CATWALK_LOCAL_STABLE_RUN_SECONDS is '{value}'").And.Contain("number of seconds greater than 0");
    }
}
