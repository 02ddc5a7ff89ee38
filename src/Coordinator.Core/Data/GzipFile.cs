using System.Buffers.Binary;
using System.IO.Compression;

namespace Coordinator.Core.Data;

/// <summary>
/// Reads a whole .gz file and checks what <see cref="GZipStream"/> does not: that the file ends with the
/// gzip trailer of what was read (CRC-32 and length). A file cut off (at a line boundary or anywhere) or
/// missing its trailer otherwise reads as a shorter file, silently. One gzip member, as <c>gzip</c> writes.
/// </summary>
public static class GzipFile
{
    public static byte[] Read(string path)
    {
        var compressed = ReadBytes(path);
        byte[] data;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            data = plain.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataError(path, $"is not a valid gzip file: {e.Message}");
        }
        if (compressed.Length < 18) throw new DataError(path, $"is cut off: {compressed.Length} bytes, shorter than any complete gzip file");
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
        if (length != (uint)data.Length || crc != Crc32(data))
            throw new DataError(path, $"is cut off or damaged: its end is not the gzip trailer of the {data.Length} bytes it holds " +
                                      $"(the last 8 bytes say {length} bytes with CRC-32 {crc:x8}; the data read has CRC-32 {Crc32(data):x8})");
        return data;
    }

    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataError(path, $"cannot be read: {e.Message}");
        }
    }

    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>CRC-32 (IEEE 802.3, as gzip's trailer holds it).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
