using Akka.Configuration;
using Coordinator.Callbacks;
using Coordinator.Configuration;

namespace Coordinator.Simulation.Tests;

public sealed class SimulatorTests
{
    private static (List<SimulatedEpoch> Epochs, SimulationSummary Summary, List<string> Warnings) Run(
        string callbacks, string metrics, string? batches = null, int batchesPerEpoch = 1, double lr = 0.01)
    {
        var options = new SimulationOptions(
            CallbackConfigReader.Read(ConfigurationFactory.ParseString(callbacks)),
            MetricCsvReader.Parse("m.csv", new StringReader(metrics), ["epoch"]),
            batches is null ? null : MetricCsvReader.Parse("b.csv", new StringReader(batches), ["epoch", "batch"]),
            lr, batchesPerEpoch);
        var epochs = new List<SimulatedEpoch>();
        var warnings = new List<string>();
        var summary = new Simulator(options).Run(epochs.Add, w => warnings.Add(w.Message));
        return (epochs, summary, warnings);
    }

    [Theory]
    [InlineData(1e300)] // finite as a double, infinite as the float32 the rate is held in
    [InlineData(1e-50)] // above 0 as a double, 0 as a float32
    public void An_initial_rate_a_float32_cannot_hold_is_refused_before_the_first_epoch(double lr)
    {
        var e = Assert.Throws<ConfigurationError>(() => Run("callbacks = [ { type = terminate-on-nan } ]", "epoch,loss\n0,1.0\n", lr: lr));
        Assert.Equal("--initial-lr", e.Field);
        Assert.Contains("float32", e.Message);
    }

    [Fact]
    public void A_NaN_batch_stops_within_the_epoch_and_the_rest_of_its_rows_are_not_played()
    {
        var (epochs, summary, _) = Run(
            "callbacks = [ { type = terminate-on-nan }, { type = model-checkpoint, filepath = \"b{epoch}-{batch}\", save-freq = 1 } ]",
            "epoch,loss\n0,1.0\n1,0.9\n2,0.8\n",
            "epoch,batch,loss\n0,0,1.2\n0,1,1.1\n1,0,1.0\n1,1,NaN\n1,2,0.9\n2,0,0.8\n");

        Assert.Equal(2, epochs.Count);
        Assert.Equal(["b1-1", "b1-2"], epochs[0].Saved);
        // Batch 1 of epoch 1 is saved (the checkpoint runs after TerminateOnNaN in the same batch), batch 2 is never played.
        Assert.Equal(["b2-1", "b2-2"], epochs[1].Saved);
        Assert.True(epochs[1].Stop);
        Assert.Equal(StopKind.NonFiniteLoss, summary.StopReason!.Kind);
        Assert.Equal(2, summary.EpochsRun);
        Assert.Null(summary.StoppedEpoch); // no EarlyStopping configured
    }

    [Fact]
    public void The_epoch_end_still_runs_after_a_batch_stopped_training_as_in_Keras()
    {
        var (epochs, _, _) = Run(
            "callbacks = [ { type = terminate-on-nan }, { type = model-checkpoint, filepath = \"e{epoch}\" } ]",
            "epoch,loss,val_loss\n0,1.0,1.0\n1,0.9,0.9\n",
            "epoch,batch,loss\n0,0,inf\n0,1,1.0\n");
        Assert.Single(epochs);
        Assert.Equal(["e1"], epochs[0].Saved);
    }

    [Fact]
    public void A_missing_monitor_warns_and_changes_nothing()
    {
        var (epochs, summary, warnings) = Run(
            "callbacks = [ { type = reduce-lr-on-plateau, patience = 0 }, { type = early-stopping, patience = 0 } ]",
            "epoch,loss,val_loss\n0,1.0,\n1,2.0,\n2,3.0,\n"); // a val_loss column, empty in every row

        Assert.Equal(3, epochs.Count);
        Assert.All(epochs, e => Assert.Equal((double)(float)0.01, e.LearningRateAfter));
        Assert.Equal(6, warnings.Count);
        Assert.Contains("Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.", warnings);
        Assert.Contains("Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate", warnings);
        Assert.Equal(0, summary.StoppedEpoch);
        Assert.Null(summary.Best);
    }

    [Fact]
    public void The_summary_reports_the_first_EarlyStopping()
    {
        var (epochs, summary, _) = Run(
            "callbacks = [ { type = early-stopping, monitor = loss, patience = 1, restore-best-weights = true } ]",
            "epoch,loss\n0,1.0\n1,0.5\n2,0.7\n3,0.4\n");

        Assert.Equal(3, epochs.Count);
        Assert.Equal((3, (int?)2, (int?)1, (double?)0.5), (summary.EpochsRun, summary.StoppedEpoch, summary.RestoredWeightsEpoch, summary.Best));
        Assert.Equal(StopKind.NoImprovement, summary.StopReason!.Kind);
        Assert.Contains("loss did not improve for 1 epochs", summary.StopReason.Message);
    }

    [Fact]
    public void Epochs_must_be_consecutive_and_batches_counted_from_zero()
    {
        var e = Assert.Throws<MetricCsvError>(() => Run("callbacks = []", "epoch,loss\n0,1\n2,1\n"));
        Assert.Contains("line 3", e.Message);
        var b = Assert.Throws<MetricCsvError>(() => Run("callbacks = []", "epoch,loss\n0,1\n", "epoch,batch,loss\n0,1,1\n"));
        Assert.Contains("expected batch 0", b.Message);
        var missing = Assert.Throws<MetricCsvError>(() => Run("callbacks = []", "epoch,loss\n0,1\n1,1\n", "epoch,batch,loss\n0,0,1\n"));
        Assert.Contains("no rows for epoch 1", missing.Message);
    }

    [Fact]
    public void Batch_saves_count_batches_across_epochs()
    {
        var (epochs, _, _) = Run(
            "callbacks = [ { type = model-checkpoint, filepath = \"s{epoch}-{batch}\", save-freq = 3 } ]",
            "epoch,loss\n0,1\n1,1\n2,1\n", batchesPerEpoch: 2);
        // Batches 1-2 of epoch 0 and batch 1 of epoch 1 make three; then epoch 1's second and epoch 2's two.
        Assert.Equal([[], ["s2-1"], ["s3-2"]], epochs.Select(e => e.Saved.ToArray()).ToArray());
    }

    [Fact]
    public void Json_lines_have_the_documented_fields_and_round_trip_numbers()
    {
        var epoch = new SimulatedEpoch(3, 0.1 + 0.2, 1e-5, true, ["a.weights", "b\"c"], []);
        Assert.Equal("{\"epoch\":3,\"lr\":0.30000000000000004,\"lr_after\":1E-05,\"stop\":true,\"saved\":[\"a.weights\",\"b\\\"c\"]}",
            SimulationJson.EpochLine(epoch));

        var final = SimulationJson.FinalLine(new SimulationSummary(5, 0, null, null, null));
        Assert.Equal("{\"final\":true,\"epochs_run\":5,\"stopped_epoch\":0,\"stop_reason\":null,\"stop_kind\":null,\"stop_source\":null,\"restored_weights_epoch\":null,\"best\":null}", final);
        Assert.EndsWith("\"best\":-Infinity}", SimulationJson.FinalLine(new SimulationSummary(1, 0, null, null, double.NegativeInfinity)));
    }
}
