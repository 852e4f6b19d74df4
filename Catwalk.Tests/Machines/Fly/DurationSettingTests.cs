using Catwalk.Core.Machines.Fly;

namespace Catwalk.Tests.Machines.Fly;

public sealed class DurationSettingTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("90", 90)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("1.5h", 5400)]
    [InlineData("00:01:30", 90)]
    [InlineData("1.00:00:00", 86400)]
    public void Durations_read_as_people_write_them(string value, double seconds) =>
        DurationSetting.Parse("X", value).Should().Be(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Unset_is_null() => DurationSetting.Parse("X", "  ").Should().BeNull();

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    public void Anything_else_names_the_variable(string value)
    {
        var act = () => DurationSetting.Parse("CATWALK_ORPHAN_CLEANUP_MIN_AGE", value);

        act.Should().Throw<InvalidOperationException>().WithMessage($"CATWALK_ORPHAN_CLEANUP_MIN_AGE='{value}' is not a duration*");
    }
}
