using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/model_checkpoint_test.py (Keras 3, ModelCheckpointTest). Keras
/// checks that files exist after fit; here "the file exists" is "a CheckpointRequested names it".
/// The model of the Keras test has loss categorical_crossentropy and metric Accuracy("acc"), with
/// validation data; batch counts follow its 30 training samples and batch sizes.
/// </summary>
public class KerasModelCheckpointTests
{
    private const string Dir = "tmp/subdir/";

    // One epoch of the Keras model: a falling loss and a rising accuracy.
    private static EpochInput TrainedEpoch(int epoch, int batches = 0) =>
        Epoch(Logs(("loss", 1.1 - 0.05 * epoch), ("acc", 0.3 + 0.01 * epoch),
                   ("val_loss", 1.2 - 0.05 * epoch), ("val_acc", 0.25 + 0.01 * epoch)),
              Enumerable.Range(0, batches).Select(_ => Logs(("loss", 1.1 - 0.05 * epoch), ("acc", 0.3))).ToArray());

    private static List<EpochInput> Fit(int epochs, int batchesPerEpoch = 6) =>
        Enumerable.Range(0, epochs).Select(e => TrainedEpoch(e, batchesPerEpoch)).ToList();

    private static HashSet<string> Saved(RunResult run) =>
        run.All<CheckpointRequested>().Select(c => c.Path).ToHashSet();

    // Keras: test_model_checkpoint_options, cases 1-4 — one epoch (batch size 5: 6 batches) with
    // (val_loss, save_best_only False, auto), (val_loss, min), (val_acc, max), (val_acc, max,
    // save_best_only True): the file exists after each fit.
    [Theory]
    [InlineData("val_loss", false, MonitorMode.Auto)]
    [InlineData("val_loss", false, MonitorMode.Min)]
    [InlineData("val_acc", false, MonitorMode.Max)]
    [InlineData("val_acc", true, MonitorMode.Max)]
    public void test_model_checkpoint_options_cases_1_to_4(string monitor, bool saveBestOnly, MonitorMode mode)
    {
        const string filepath = Dir + "checkpoint.keras";
        var run = Runner.Run(new ModelCheckpointSettings(filepath) { Monitor = monitor, SaveBestOnly = saveBestOnly, Mode = mode }, Fit(1));
        Assert.Equal([filepath], Saved(run));
    }

    // Keras: test_model_checkpoint_options, case 5 — "metric not available": ModelCheckpoint(filepath,
    // monitor="unknown", save_best_only=True, mode="min") warns (UserWarning) and the file exists.
    [Fact]
    public void test_model_checkpoint_options_case5_metric_not_available()
    {
        const string filepath = Dir + "checkpoint.keras";
        var run = Runner.Run(new ModelCheckpointSettings(filepath) { Monitor = "unknown", SaveBestOnly = true, Mode = MonitorMode.Min }, Fit(1));
        Assert.Equal([filepath], Saved(run));
        Assert.Equal([new CallbackWarning("model-checkpoint", "Can save best model only with unknown available.")], run.All<CallbackWarning>());
    }

    // Keras: same case with mode auto (not in Keras's test): Keras raises at the first epoch end
    // because it cannot tell the direction of "unknown"; here the engine refuses it when built.
    [Fact]
    public void test_model_checkpoint_options_case5_auto_mode_unknown_direction()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.01, new ModelCheckpointSettings(Dir + "checkpoint.keras") { Monitor = "unknown", SaveBestOnly = true }));
        Assert.Equal("model-checkpoint", e.Callback);
    }

    // Keras: test_model_checkpoint_options, case 6 — mode="unknown" warns "ModelCheckpoint mode 'unknown'
    // is unknown". Not applicable: MonitorMode is an enum, an unknown mode cannot be expressed.

    // Keras: test_model_checkpoint_options, case 8a — save_freq=15 with batch size 6 (5 batches per
    // epoch), 10 epochs: "checkpoint.epoch{epoch:02d}.keras" exists for epochs 3, 6 and 9 only.
    // Case 8b is the same with save_weights_only and a ".weights.h5" template.
    [Theory]
    [InlineData("checkpoint.epoch{epoch:02d}.keras", false)]
    [InlineData("checkpoint.epoch{epoch:02d}.weights.h5", true)]
    public void test_model_checkpoint_options_case8_integer_save_freq(string template, bool weightsOnly)
    {
        var run = Runner.Run(new ModelCheckpointSettings(Dir + template)
        {
            Monitor = "val_acc", Mode = MonitorMode.Max, SaveFreqBatches = 15, SaveWeightsOnly = weightsOnly,
        }, Fit(10, batchesPerEpoch: 5));

        var saved = Saved(run);
        for (var epoch = 1; epoch <= 10; epoch++)
            Assert.Equal(epoch % 3 == 0, saved.Contains(Dir + template.Replace("{epoch:02d}", epoch.ToString("00"))));
        Assert.All(run.All<CheckpointRequested>(), c =>
        {
            Assert.Equal(weightsOnly, c.WeightsOnly);
            Assert.Equal(4, c.Batch); // the last batch of the epoch completes each 15
        });
    }

    // Keras: test_model_checkpoint_options, case 9 — save_freq="invalid_save_freq" raises "Unrecognized
    // save_freq"; save_freq="epoch" and save_freq=3 are accepted. Our save_freq is "epoch" (null) or a
    // whole number of batches; a number below 1 is the invalid one.
    [Fact]
    public void test_model_checkpoint_options_case9_save_freq_argument()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.01, new ModelCheckpointSettings(Dir + "c.weights.h5") { SaveFreqBatches = 0, SaveWeightsOnly = true }));
        Assert.Equal("save-freq", e.Field);
        Runner.Engine(0.01, new ModelCheckpointSettings(Dir + "c.weights.h5") { SaveFreqBatches = null, SaveWeightsOnly = true });
        Runner.Engine(0.01, new ModelCheckpointSettings(Dir + "c.weights.h5") { SaveFreqBatches = 3, SaveWeightsOnly = true });
    }

    // Keras: test_model_checkpoint_options, cases 10a/10b — save_freq=1 with batch size 15 (2 batches per
    // epoch), 5 epochs, "checkpoint.epoch{epoch:02d}batch{batch:02d}.keras": files for every epoch 1-5
    // and batch 1-2 (both 1-based).
    [Theory]
    [InlineData("checkpoint.epoch{epoch:02d}batch{batch:02d}.keras", false)]
    [InlineData("checkpoint.epoch{epoch:02d}batch{batch:02d}.weights.h5", true)]
    public void test_model_checkpoint_options_case10_batch_in_filename(string template, bool weightsOnly)
    {
        var run = Runner.Run(new ModelCheckpointSettings(Dir + template)
        {
            Monitor = "val_acc", Mode = MonitorMode.Max, SaveFreqBatches = 1, SaveWeightsOnly = weightsOnly,
        }, Fit(5, batchesPerEpoch: 2));

        var saved = Saved(run);
        Assert.Equal(10, saved.Count);
        for (var epoch = 1; epoch <= 5; epoch++)
            for (var batch = 1; batch <= 2; batch++)
                Assert.Contains(Dir + template.Replace("{epoch:02d}", $"{epoch:00}").Replace("{batch:02d}", $"{batch:00}"), saved);
    }

    // Keras: test_model_checkpoint_options, cases 11-15 — save_best_only with initial_value_threshold
    // (the starting best; None by default, which any first value improves on): (max, val_acc, -0.01)
    // saves; (auto, val_loss, None) saves; (min, val_loss, 0) and (auto, val_loss, 0) do not save (no
    // loss is below 0); (auto, val_auc, 1) does not save (no AUC is above 1).
    [Theory]
    [InlineData(MonitorMode.Max, "val_acc", -0.01, true)]
    [InlineData(MonitorMode.Auto, "val_loss", null, true)]
    [InlineData(MonitorMode.Min, "val_loss", 0.0, false)]
    [InlineData(MonitorMode.Auto, "val_loss", 0.0, false)]
    [InlineData(MonitorMode.Auto, "val_auc", 1.0, false)]
    public void test_model_checkpoint_options_cases_11_to_15_initial_value_threshold(
        MonitorMode mode, string monitor, double? threshold, bool saved)
    {
        const string filepath = Dir + "checkpoint.keras";
        var run = Runner.Run(new ModelCheckpointSettings(filepath)
        {
            Monitor = monitor, Mode = mode, SaveBestOnly = true, InitialValueThreshold = threshold,
        }, [Epoch(("loss", 1.1), ("acc", 0.0), ("val_loss", 1.2), ("val_acc", 0.0), ("val_auc", 0.6))]);
        Assert.Equal(saved, Saved(run).Contains(filepath));
    }

    // Keras: test_model_checkpoint_loading — save_best_only with mode auto on val_loss, one epoch, first
    // the whole model ("checkpoint.model.keras") then weights only ("checkpoint.weights.h5"); the
    // test then loads the file and compares weights. Loading is the host's business (not applicable
    // here); what the callback decides is the save itself and its kind.
    [Theory]
    [InlineData("checkpoint.model.keras", false)]
    [InlineData("checkpoint.weights.h5", true)]
    public void test_model_checkpoint_loading(string file, bool weightsOnly)
    {
        var run = Runner.Run(new ModelCheckpointSettings("tmp/" + file)
        {
            Monitor = "val_loss", Mode = MonitorMode.Auto, SaveBestOnly = true, SaveWeightsOnly = weightsOnly,
        }, Fit(1));
        var save = Assert.Single(run.All<CheckpointRequested>());
        Assert.Equal("tmp/" + file, save.Path);
        Assert.Equal(weightsOnly, save.WeightsOnly);
        Assert.Equal(CheckpointKind.Regular, save.Kind);
        Assert.Equal(1.2, save.MonitorValue);
    }
}
