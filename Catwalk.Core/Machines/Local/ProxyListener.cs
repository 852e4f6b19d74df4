using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// An open <c>subscriptions/listen</c> request (2026-07-28 revision): the stream that carries the change
/// notifications its client asked for, each tagged with the listen request's id.
/// </summary>
internal sealed class ProxyListener(McpServer stream, JsonNode subscriptionId, SubscriptionsListenNotifications granted)
{
    public SubscriptionsListenNotifications Granted { get; } = granted;

    public bool Wants(string method) => method switch
    {
        NotificationMethods.ToolListChangedNotification => Granted.ToolsListChanged == true,
        NotificationMethods.PromptListChangedNotification => Granted.PromptsListChanged == true,
        NotificationMethods.ResourceListChangedNotification => Granted.ResourcesListChanged == true,
        _ => false,
    };

    public bool WantsUpdatesOf(string uri) => Granted.ResourceSubscriptions?.Contains(uri) == true;

    public Task SendAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        var tagged = parameters?.DeepClone() as JsonObject ?? [];
        if (tagged["_meta"] is not JsonObject meta)
        {
            meta = [];
            tagged["_meta"] = meta;
        }

        meta[MetaKeys.SubscriptionId] = subscriptionId.DeepClone();
        return stream.SendMessageAsync(new JsonRpcNotification { Method = method, Params = tagged }, cancellationToken);
    }
}
