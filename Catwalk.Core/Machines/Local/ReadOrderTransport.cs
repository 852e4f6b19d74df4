using System.Threading.Channels;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Shows each message from the upstream server to an observer in the order the server wrote it, before the
/// SDK sees it. The SDK handles every incoming message on a task of its own, so a progress notification
/// could otherwise be handled after the response that followed it on the wire, and be lost.
/// </summary>
internal sealed class ReadOrderTransport(IClientTransport inner, Action<JsonRpcMessage> observe) : IClientTransport
{
    public string Name => inner.Name;

    public async Task<ITransport> ConnectAsync(CancellationToken cancellationToken = default) =>
        new ObservedTransport(await inner.ConnectAsync(cancellationToken), observe);

    private sealed class ObservedTransport(ITransport transport, Action<JsonRpcMessage> observe) : ITransport
    {
        public string? SessionId => transport.SessionId;

        public ChannelReader<JsonRpcMessage> MessageReader { get; } = new ObservedReader(transport.MessageReader, observe);

        public Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default) =>
            transport.SendMessageAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }

    private sealed class ObservedReader(ChannelReader<JsonRpcMessage> reader, Action<JsonRpcMessage> observe) : ChannelReader<JsonRpcMessage>
    {
        public override Task Completion => reader.Completion;

        public override bool TryRead(out JsonRpcMessage item)
        {
            if (!reader.TryRead(out item!))
            {
                return false;
            }

            observe(item);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => reader.WaitToReadAsync(cancellationToken);
    }
}
