using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Coordinator.Reporting.TensorBoard;

/// <summary>
/// One TensorBoard event file (<c>events.out.tfevents.SECONDS.HOST.PID.N.v2</c>): TFRecords
/// (u64 length, its masked CRC-32C, the payload, its masked CRC-32C) each holding a serialized
/// <c>tensorflow.Event</c>. The first record names the file version, as TensorFlow's writer does;
/// then one scalar (a <c>Summary.Value</c> with <c>simple_value</c>) per record, with the wall time
/// it was written at in seconds since the Unix epoch. Every record is flushed as it is written.
/// </summary>
public sealed class TensorBoardEventFile : IDisposable
{
    private static int _files;
    private readonly FileStream _stream;
    private readonly TimeProvider _time;

    public TensorBoardEventFile(string folder, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(folder);
        var now = _time.GetUtcNow();
        Path = System.IO.Path.Combine(folder,
            $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _files)}.v2");
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(Event(WallTime(), step: null, fileVersion: "brain.Event:2", tag: null, value: 0));
    }

    public string Path { get; }

    /// <summary>Appends a scalar; NaN and infinities are kept (TensorBoard shows them as such).</summary>
    public void Scalar(string tag, long step, double value) => Write(Event(WallTime(), step, null, tag, (float)value));

    public void Dispose() => _stream.Dispose();

    // Seconds since the Unix epoch, as Python's time.time(): whole seconds and the fraction apart, so
    // the double keeps its sub-millisecond digits.
    private double WallTime()
    {
        var ticks = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks;
        return ticks / TimeSpan.TicksPerSecond + ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond;
    }

    private void Write(byte[] payload)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(payload));
        _stream.Write(header);
        _stream.Write(payload);
        _stream.Write(footer);
        _stream.Flush();
    }

    // tensorflow/core/util/event.proto: Event { double wall_time = 1; int64 step = 2; string file_version = 3;
    // Summary summary = 5; }, Summary { repeated Value value = 1; }, Value { string tag = 1; float simple_value = 2; }.
    private static byte[] Event(double wallTime, long? step, string? fileVersion, string? tag, float value)
    {
        var e = new MemoryStream();
        e.WriteByte(0x09); // field 1, 64-bit
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(eight, wallTime);
        e.Write(eight);
        if (step is { } s)
        {
            e.WriteByte(0x10); // field 2, varint
            Varint(e, (ulong)s);
        }
        if (fileVersion is not null) LengthDelimited(e, 0x1A, Encoding.UTF8.GetBytes(fileVersion)); // field 3
        if (tag is not null)
        {
            var v = new MemoryStream();
            LengthDelimited(v, 0x0A, Encoding.UTF8.GetBytes(tag)); // Value.tag
            v.WriteByte(0x15); // Value.simple_value, field 2, 32-bit
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(four, value);
            v.Write(four);
            var summary = new MemoryStream();
            LengthDelimited(summary, 0x0A, v.ToArray()); // Summary.value
            LengthDelimited(e, 0x2A, summary.ToArray()); // Event.summary, field 5
        }
        return e.ToArray();
    }

    private static void LengthDelimited(MemoryStream to, byte key, byte[] bytes)
    {
        to.WriteByte(key);
        Varint(to, (ulong)bytes.Length);
        to.Write(bytes);
    }

    private static void Varint(MemoryStream to, ulong v)
    {
        while (v >= 0x80)
        {
            to.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        to.WriteByte((byte)v);
    }

    /// <summary>TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus a constant.</summary>
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
