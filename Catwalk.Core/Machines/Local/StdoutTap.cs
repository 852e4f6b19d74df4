using System.Text;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Reads the server's stdout for the MCP client and, on the way, copies lines that are not JSON-RPC (banners,
/// "listening on port 3000", npm's complaints) into the machine's log: they explain a server that does not speak MCP.
/// </summary>
internal sealed class StdoutTap(Stream inner, Action<string> onTextLine) : Stream
{
    private const int MaxLine = 4096;
    private readonly StringBuilder _line = new();
    private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
    private bool _lineIsJson;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        Span<char> chars = stackalloc char[Math.Min(bytes.Length, 1024)];
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(bytes.Length, chars.Length);
            var decoded = _decoder.GetChars(bytes[..take], chars, flush: false);
            bytes = bytes[take..];
            foreach (var c in chars[..decoded])
            {
                Append(c);
            }
        }
    }

    private void Append(char c)
    {
        if (c == '\n')
        {
            if (!_lineIsJson && _line.ToString().TrimEnd('\r') is { Length: > 0 } text)
            {
                onTextLine(text);
            }

            _line.Clear();
            _lineIsJson = false;
            return;
        }

        if (_line.Length == 0 && !char.IsWhiteSpace(c))
        {
            // JSON-RPC messages are the MCP client's business (and may carry tool results): never logged.
            _lineIsJson = c == '{' || c == '[';
        }

        if (!_lineIsJson && _line.Length < MaxLine)
        {
            _line.Append(c);
        }
        else if (_lineIsJson && _line.Length == 0)
        {
            _line.Append(c); // Marks the line as started.
        }
    }
}
