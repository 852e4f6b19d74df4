using Catwalk.Core.Machines.Local;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Tests.Machines.Local;

/// <summary>The view of the forwarder's request that a local bridge runs on: the connection's bytes, nothing else.</summary>
public sealed class ConnectionFeaturesTests
{
    [Fact]
    public void The_bridge_sees_the_request_and_response_but_not_the_forwarders_endpoint_items_or_services()
    {
        var forwarder = new DefaultHttpContext();
        forwarder.Request.Path = "/mcp";
        forwarder.Items["forwarder"] = "private";
        forwarder.SetEndpoint(new Endpoint(_ => Task.CompletedTask, null, "forwarder endpoint"));

        var bridge = new DefaultHttpContext(new ConnectionFeatures(forwarder.Features));

        bridge.Features.Select(feature => feature.Key).Should().Contain(typeof(IHttpRequestFeature))
            .And.NotContain(typeof(IEndpointFeature)).And.NotContain(typeof(IItemsFeature));
        bridge.Request.Path.Value.Should().Be("/mcp");
        bridge.Features.Get<IHttpResponseFeature>().Should().BeSameAs(forwarder.Features.Get<IHttpResponseFeature>());
        bridge.GetEndpoint().Should().BeNull();
        bridge.Items.Should().NotContainKey("forwarder");
        bridge.Features.Get<IServiceProvidersFeature>().Should().BeNull();
        bridge.Features.Get<IItemsFeature>().Should().NotBeSameAs(forwarder.Features.Get<IItemsFeature>());
    }

    [Fact]
    public void What_the_bridge_sets_stays_in_its_view_and_shadows_the_connections_feature()
    {
        var forwarder = new DefaultHttpContext();
        var forwarderBody = forwarder.Features.Get<IHttpResponseBodyFeature>();
        var view = new ConnectionFeatures(forwarder.Features);
        var bridge = new DefaultHttpContext(view);
        var revision = view.Revision;

        bridge.SetEndpoint(new Endpoint(_ => Task.CompletedTask, null, "bridge endpoint"));
        var wrapped = new StreamResponseBodyFeature(new MemoryStream());
        view.Set<IHttpResponseBodyFeature>(wrapped);

        view.Revision.Should().NotBe(revision, "contexts cache features until the revision changes");
        bridge.GetEndpoint()!.DisplayName.Should().Be("bridge endpoint");
        view.Get<IHttpResponseBodyFeature>().Should().BeSameAs(wrapped);
        view.Count(feature => feature.Key == typeof(IHttpResponseBodyFeature)).Should().Be(1);
        forwarder.GetEndpoint().Should().BeNull();
        forwarder.Features.Get<IHttpResponseBodyFeature>().Should().BeSameAs(forwarderBody);
    }
}
