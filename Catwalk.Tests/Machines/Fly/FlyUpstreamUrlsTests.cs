using Catwalk.Core.Machines.Fly;

namespace Catwalk.Tests.Machines.Fly;

public sealed class FlyUpstreamUrlsTests
{
    [Fact]
    public void The_default_template_reaches_the_machine_over_fly_private_network()
    {
        var url = FlyUpstreamUrls.For(FlyRuntimeOptions.DefaultMachineUrlTemplate, "3d8d9e1a2b3c4d", "catwalk-mcp");

        url.Should().Be(new Uri("http://3d8d9e1a2b3c4d.vm.catwalk-mcp.internal:8080/"));
        new Uri(url, "mcp").Should().Be(new Uri("http://3d8d9e1a2b3c4d.vm.catwalk-mcp.internal:8080/mcp"));
    }

    [Fact]
    public void A_template_with_a_path_keeps_it_for_mcp_and_status()
    {
        var url = FlyUpstreamUrls.For("http://127.0.0.1:5123/machines/{machineId}", "abc123", "ignored");

        new Uri(url, "status").Should().Be(new Uri("http://127.0.0.1:5123/machines/abc123/status"));
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("abc@evil.example")]
    [InlineData("")]
    public void A_machine_id_that_is_not_one_is_never_spliced_into_a_url(string machineId)
    {
        var act = () => FlyUpstreamUrls.For(FlyRuntimeOptions.DefaultMachineUrlTemplate, machineId, "catwalk-mcp");

        act.Should().Throw<ArgumentException>();
    }
}
