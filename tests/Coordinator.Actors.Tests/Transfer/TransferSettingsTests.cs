using Akka.Configuration;
using Coordinator.Actors.TestSupport;
using Coordinator.Actors.Transfer;

namespace Coordinator.Actors.Tests.Transfer;

public sealed class TransferSettingsTests
{
    [Fact]
    public void The_shipped_settings_are_the_defaults()
    {
        Assert.Equal(TransferSettings.Default, TransferSettings.From(TestConfig.Create()));
        Assert.Equal(TransferSettings.Default, TransferSettings.From(Config.Empty));
    }

    [Fact]
    public void A_chunk_never_exceeds_half_a_remoting_frame()
    {
        var config = ConfigurationFactory.ParseString("akka.remote.dot-netty.tcp.maximum-frame-size = 64000b").WithFallback(TestConfig.Create());
        Assert.Equal(32000, TransferSettings.From(config).ChunkBytes);
        var small = ConfigurationFactory.ParseString("akka.coordinator.transfer { chunk-size = 4KiB, window = 2, ack-timeout = 3s, retries = 0 }")
            .WithFallback(config);
        Assert.Equal(new TransferSettings(4096, 2, TimeSpan.FromSeconds(3), 0, TimeSpan.FromMinutes(5)), TransferSettings.From(small));
    }
}
