using Catwalk.Core.Machines;

namespace Catwalk.Tests.Machines;

public sealed class ServerOutputTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Output_with_start_markers_splits_into_one_labelled_section_per_start_newest_first()
    {
        var sections = ServerOutput.SplitNewestFirst(
            [ServerOutput.StartMarker(1, At), "first run", ServerOutput.StartMarker(2, At.AddSeconds(3)), "second run", "its last words"]);

        sections.Select(s => s.Label).Should().Equal("Start 2 at 2026-12-04 07:00:03 UTC", "Start 1 at 2026-12-04 07:00:00 UTC");
        sections[0].Lines.Should().Equal("second run", "its last words");
        sections[1].Lines.Should().Equal("first run");
    }

    [Fact]
    public void Output_without_markers_is_one_section_and_a_start_that_wrote_nothing_is_kept_empty()
    {
        ServerOutput.SplitNewestFirst(["exit code 1", "from Fly"]).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new ServerOutputSection("Output", ["exit code 1", "from Fly"]));
        ServerOutput.SplitNewestFirst(["cut-off tail", ServerOutput.StartMarker(7, At)]).Select(s => (s.Label, s.Lines.Count))
            .Should().Equal(("Start 7 at 2026-12-04 07:00:00 UTC", 0), ("Earlier output", 1));
    }

    [Fact]
    public void A_line_that_only_looks_like_a_marker_is_output()
    {
        ServerOutput.SplitNewestFirst(["── start soon ──"]).Should().ContainSingle().Which.Lines.Should().Equal("── start soon ──");
    }
}
