using Akka.Configuration;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// How chunked transfers go (<c>akka.coordinator.transfer</c> in HOCON; these defaults otherwise). A chunk never
/// exceeds half the remoting frame (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>), whatever is configured.
/// </summary>
/// <param name="ChunkBytes">Payload bytes per chunk.</param>
/// <param name="Window">Chunks sent ahead of the acknowledgements: bounds the memory in flight.</param>
/// <param name="AckTimeout">How long a sender waits for an acknowledgement before it sends again from the first chunk not acknowledged.</param>
/// <param name="Retries">Timeouts in a row after which the transfer fails.</param>
/// <param name="IdleTimeout">How long a receiver keeps a transfer nobody sends to any more (then drops it), and
/// remembers a finished one (to acknowledge a repeated chunk).</param>
public sealed record TransferSettings(int ChunkBytes, int Window, TimeSpan AckTimeout, int Retries, TimeSpan IdleTimeout)
{
    public static readonly TransferSettings Default = new(1 << 20, 4, TimeSpan.FromSeconds(20), 5, TimeSpan.FromMinutes(5));

    public static TransferSettings From(Config config)
    {
        var section = config.HasPath("akka.coordinator.transfer") ? config.GetConfig("akka.coordinator.transfer") : Config.Empty;
        var chunk = section.GetByteSize("chunk-size", null) ?? Default.ChunkBytes;
        var frame = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null);
        if (frame is { } f) chunk = Math.Min(chunk, f / 2);
        return new TransferSettings(
            (int)Math.Clamp(chunk, 1024, int.MaxValue),
            Math.Max(1, section.GetInt("window", Default.Window)),
            section.GetTimeSpan("ack-timeout", Default.AckTimeout),
            Math.Max(0, section.GetInt("retries", Default.Retries)),
            section.GetTimeSpan("idle-timeout", Default.IdleTimeout));
    }
}
