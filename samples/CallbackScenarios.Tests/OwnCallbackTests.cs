using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Simulation;
using static Coordinator.Actors.Events.RunEvents;

namespace CallbackScenarios.Tests;

/// <summary>
/// Our own callback (<see cref="LossBudget"/>), registered once, works as the built-ins do: named in the
/// configuration, run by the real supervisor, replayed by simulate, and its state stored in the journal and
/// restored when another supervisor takes the run over.
/// </summary>
public sealed class OwnCallbackTests
{
    static OwnCallbackTests() => LossBudgetSettings.Register();

    private const string Callbacks = "callbacks = [ { type = loss-budget, monitor = loss, budget = 3.5 } ]";

    // A loss of 1.0 every epoch: the sum passes 3.5 at the 4th epoch (index 3). A callback that forgot its sum on
    // a resume after epoch 1 would stop two epochs later.
    private static readonly MetricScript FlatLoss = MetricScript.Of(10, _ => new EpochMetrics(Loss: 1.0, ValLoss: 1.2));

    private static Scenario Run => Scenario.WithCallbacks(Callbacks).Metrics(FlatLoss).Workers(2);

    [Fact]
    public void Named_in_the_configuration_it_stops_the_run_and_its_state_is_in_the_journal()
    {
        var result = Run.Run();

        Assert.Equal(3, result.Stop!.Epoch);
        Assert.Equal(nameof(StopKind.Requested), result.Stop.Kind);
        Assert.Equal("loss summed over 4 epochs is 4, over the budget of 3.5", result.Stop.Reason);
        var afterEpoch1 = result.Events.OfType<EpochCompleted>().Single(e => e.Epoch == 1).CallbackState;
        Assert.Contains("{\"type\":\"loss-budget\",\"spent\":2,\"epochs\":2}", afterEpoch1);
    }

    [Theory]
    [InlineData(100)] // recovered from the journal's events
    [InlineData(3)] // from a snapshot, then events
    public void A_supervisor_taking_over_after_epoch_1_restores_its_sum_and_stops_where_the_uninterrupted_run_stops(int snapshotEvery)
    {
        var restarted = Run.SnapshotEvery(snapshotEvery).RestartSupervisor(afterEpoch: 1).Run();

        Assert.Equal(2, restarted.Supervisors);
        Assert.Equal(1, restarted.Resumes.Single().FromEpoch);
        restarted.AssertSameDecisionsAs(Run.Run());
        Assert.Equal(3, restarted.Stop!.Epoch);
    }

    [Fact]
    public void Simulate_replays_it_from_the_same_configuration()
    {
        var config = SimulationConfigReader.Read(Akka.Configuration.ConfigurationFactory.ParseString(Callbacks), "callbacks.conf");
        var metrics = MetricCsvReader.Parse("metrics.csv", new StringReader("epoch,loss\n0,1\n1,1\n2,1\n3,1\n4,1\n5,1\n"), ["epoch"]);
        var epochs = new List<SimulatedEpoch>();

        var summary = new Simulator(new SimulationOptions(config.Callbacks, metrics)).Run(epochs.Add, _ => { });

        Assert.Equal(4, summary.EpochsRun);
        Assert.Equal(StopKind.Requested, summary.StopReason!.Kind);
        Assert.True(epochs[^1].Stop);
    }

    [Theory]
    [InlineData("{ type = loss-budgt }", "callbacks[0].type = loss-budgt: unknown callback type; registered: " +
        "early-stopping, reduce-lr-on-plateau, learning-rate-scheduler, model-checkpoint, terminate-on-nan, csv-logger, loss-budget")]
    [InlineData("{ type = loss-budget, budjet = 2 }", "callbacks[0].budjet")]
    [InlineData("{ type = loss-budget, budget = lots }", "callbacks[0].budget = lots")]
    public void A_mistake_in_its_entry_is_refused_naming_the_field_and_the_value(string entry, string expected)
    {
        var error = Assert.Throws<ConfigurationError>(() => Scenario.WithCallbacks($"callbacks = [ {entry} ]"));
        Assert.StartsWith(expected, error.Message);
    }
}
