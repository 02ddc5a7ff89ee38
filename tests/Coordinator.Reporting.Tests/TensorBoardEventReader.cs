using System.Buffers.Binary;
using System.Text;

namespace Coordinator.Reporting.Tests;

/// <summary>One scalar event of a TensorBoard event file, or its file-version record (Tag null).</summary>
public sealed record TensorBoardEvent(double WallTime, long? Step, string? FileVersion, string? Tag, float? Value);

/// <summary>
/// Reads a TensorBoard event file independently of the writer: TFRecords whose two checksums (masked
/// CRC-32C of the length and of the payload) must match, each a tensorflow.Event protobuf decoded field
/// by field (wall_time = 1, step = 2, file_version = 3, summary = 5 { value = 1 { tag = 1, simple_value = 2 } }).
/// (Linked into Coordinator.Cli.Tests too.)
/// </summary>
public static class TensorBoardEventReader
{
    public static IReadOnlyList<TensorBoardEvent> Read(string path)
    {
        var file = File.ReadAllBytes(path);
        var events = new List<TensorBoardEvent>();
        var at = 0;
        while (at < file.Length)
        {
            Assert.True(at + 12 <= file.Length, $"{path}: a truncated record header at byte {at}");
            var lengthBytes = file.AsSpan(at, 8);
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes));
            Assert.Equal(MaskedCrc32C(lengthBytes), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8, 4)));
            Assert.True(at + 12 + length + 4 <= file.Length, $"{path}: a truncated record at byte {at}");
            var payload = file.AsSpan(at + 12, length);
            Assert.Equal(MaskedCrc32C(payload), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + length, 4)));
            events.Add(Decode(payload.ToArray()));
            at += 12 + length + 4;
        }
        return events;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit, masked as TFRecord masks it.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data) => Mask(Crc32C(data));

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);

    private static TensorBoardEvent Decode(byte[] e)
    {
        double wall = double.NaN;
        long? step = null;
        string? version = null, tag = null;
        float? value = null;
        foreach (var (field, wire, data, number) in Fields(e))
            switch (field)
            {
                case 1 when wire == 1: wall = BitConverter.Int64BitsToDouble((long)number); break;
                case 2 when wire == 0: step = (long)number; break;
                case 3 when wire == 2: version = Encoding.UTF8.GetString(data); break;
                case 5 when wire == 2:
                    var values = Fields(data).Where(f => f.Field == 1).ToList();
                    Assert.Single(values); // one scalar per event, as the writer writes them
                    foreach (var (f, w, d, n) in Fields(values[0].Data))
                    {
                        if (f == 1 && w == 2) tag = Encoding.UTF8.GetString(d);
                        if (f == 2 && w == 5) value = BitConverter.Int32BitsToSingle((int)n);
                    }
                    break;
                default: throw new Xunit.Sdk.XunitException($"unexpected Event field {field} (wire type {wire})");
            }
        return new TensorBoardEvent(wall, step, version, tag, value);
    }

    private static List<(int Field, int Wire, byte[] Data, ulong Number)> Fields(byte[] m)
    {
        var fields = new List<(int, int, byte[], ulong)>();
        var at = 0;
        while (at < m.Length)
        {
            var key = Varint(m, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: fields.Add((field, wire, [], Varint(m, ref at))); break;
                case 1: fields.Add((field, wire, [], BinaryPrimitives.ReadUInt64LittleEndian(m.AsSpan(at, 8)))); at += 8; break;
                case 5: fields.Add((field, wire, [], BinaryPrimitives.ReadUInt32LittleEndian(m.AsSpan(at, 4)))); at += 4; break;
                case 2:
                    var length = (int)Varint(m, ref at);
                    fields.Add((field, wire, m[at..(at + length)], 0));
                    at += length;
                    break;
                default: throw new Xunit.Sdk.XunitException($"unexpected wire type {wire}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] m, ref int at)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = m[at++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
    }
}
