using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kaito.Runtime.Bench;

/// <summary>
/// One keep-alive HTTP/1.1 connection driven with blocking socket calls from the caller's own thread: the cheapest
/// client there is (one wake-up per received segment, no thread-pool or epoll hops), so on a machine where client and
/// server share the cores, what the bench measures is the server's cost rather than the client's. The OpenAI SDK
/// itself is exercised by the tests.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RawHttpConnection(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(server);
    }

    /// <summary>Sends one request and reads the whole response body; <paramref name="firstBody"/> is when its first bytes arrived.</summary>
    public byte[] Send(byte[] request, out long firstBody)
    {
        _socket.Send(request);
        var headerEnd = ReadUntil("\r\n\r\n"u8);
        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        if (!headers.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Unexpected response: {headers}");
        }

        firstBody = 0;
        var body = new MemoryStream();
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var lineEnd = ReadUntil("\r\n"u8);
                var size = int.Parse(Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                _start = lineEnd + 2;
                if (firstBody == 0)
                {
                    firstBody = Stopwatch.GetTimestamp();
                }

                Fill(size + 2);
                body.Write(_buffer, _start, size);
                _start += size + 2;
                if (size == 0)
                {
                    return body.ToArray();
                }
            }
        }

        var lengthAt = headers.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase) + "Content-Length: ".Length;
        var length = int.Parse(headers.AsSpan(lengthAt, headers.IndexOf('\r', lengthAt) - lengthAt), CultureInfo.InvariantCulture);
        Fill(length);
        firstBody = Stopwatch.GetTimestamp();
        body.Write(_buffer, _start, length);
        _start += length;
        return body.ToArray();
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Reads until <paramref name="marker"/> is buffered; returns its index.</summary>
    private int ReadUntil(ReadOnlySpan<byte> marker)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (at >= 0)
            {
                return _start + at;
            }

            Receive();
        }
    }

    /// <summary>Reads until at least <paramref name="count"/> bytes are buffered.</summary>
    private void Fill(int count)
    {
        while (_end - _start < count)
        {
            Receive();
        }
    }

    private void Receive()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (read == 0)
        {
            throw new EndOfStreamException("The server closed the connection.");
        }

        _end += read;
    }
}
