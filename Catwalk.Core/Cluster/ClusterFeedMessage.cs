using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Catwalk.Core.Deployments;

namespace Catwalk.Core.Cluster;

/// <summary>
/// A status update as it crosses instances: a <c>NOTIFY</c> payload naming the instance that published it (which
/// delivered it in process already), the message's id (the publisher may wait to hear it back) and the update. PostgreSQL caps a payload below 8000 bytes, so long texts (a failure's log tail) are
/// shortened; pages read the full text from the database.
/// </summary>
public sealed record ClusterFeedMessage(string Origin, Guid Id, StatusUpdate Update)
{
    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel.</summary>
    public const string Channel = "catwalk_feed";

    /// <summary>Where instances acknowledge an update that revokes access (the payload is the message's id).</summary>
    public const string AcknowledgementChannel = "catwalk_feed_ack";

    /// <summary>An update after which a cache must not let anyone in: every instance acknowledges it.</summary>
    public bool RevokesAccess =>
        Update is DeploymentTokenRotated or OAuthApprovalRevoked or DeploymentStatusChanged { To: DeploymentStatus.Deleting };

    private const int MaxPayloadBytes = 7900;
    private const int MaxDetailChars = 1500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToPayload()
    {
        var payload = JsonSerializer.Serialize(this with { Update = Shorten(Update, MaxDetailChars) }, Json);
        return Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes
            ? payload
            : JsonSerializer.Serialize(this with { Update = Shorten(Update, 0) }, Json);
    }

    /// <summary>The message in <paramref name="payload"/>, or null when it is not one (another application's, or a newer
    /// Catwalk's update type during a rolling deploy).</summary>
    public static ClusterFeedMessage? FromPayload(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterFeedMessage>(payload, Json) is { Origin: not null, Update: not null } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static StatusUpdate Shorten(StatusUpdate update, int max) => update switch
    {
        DeploymentStatusChanged changed => changed with { Detail = Cut(changed.Detail, max), Reason = Cut(changed.Reason, Math.Max(max, 256))! },
        MachineObserved observed => observed with { Machine = observed.Machine with { Detail = Cut(observed.Machine.Detail, max) } },
        _ => update,
    };

    private static string? Cut(string? text, int max) =>
        text is null || text.Length <= max ? text : max == 0 ? null : text[..(max - 1)] + "…";
}
