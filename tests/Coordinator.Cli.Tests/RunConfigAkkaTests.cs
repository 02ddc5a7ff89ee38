using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Cli.Train;

namespace Coordinator.Cli.Tests;

/// <summary>
/// A run configuration's own <c>akka { }</c> section is documented to override hocon/coordinator.conf
/// (AkkaConfig, docs). These build the configuration exactly as TrainingHost.Run does.
/// </summary>
public sealed class RunConfigAkkaTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string? _overrides;

    private Akka.Configuration.Config ComposedFor(string akkaSection)
    {
        var conf = _temp.File("run.conf", TestFiles.DigitsConfText(t => t + "\n" + akkaSection + "\n"));
        var prepared = TrainConfig.Prepare(new TrainOptions(conf));
        _overrides = prepared.Config.AkkaOverrides;
        Assert.NotNull(_overrides);
        return AkkaConfig.ForSqlite(_temp.Combine("journal.db"), prepared.Config.AkkaOverrides);
    }

    [Fact]
    public void The_run_configurations_akka_section_overrides_coordinator_conf()
    {
        var config = ComposedFor("akka { loglevel = DEBUG }");
        var level = config.GetString("akka.loglevel");
        Assert.True(level == "DEBUG", $"akka.loglevel = {level}; RunConfig.AkkaOverrides was:\n{_overrides}");
    }

    [Fact]
    public void A_nested_akka_setting_in_the_run_configuration_reaches_the_actor_systems_configuration()
    {
        var config = ComposedFor("akka.persistence.journal.sql.auto-initialize = off");
        Assert.False(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"),
            $"auto-initialize is still on; RunConfig.AkkaOverrides was:\n{_overrides}");
    }

    [Fact]
    public void The_journal_connection_string_set_in_code_still_wins()
    {
        var config = ComposedFor("akka.persistence.journal.sql.connection-string = \"Data Source=/elsewhere.db\"");
        Assert.Equal($"Data Source={_temp.Combine("journal.db")}", config.GetString("akka.persistence.journal.sql.connection-string"));
    }
}
