using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>The rules in <see cref="ModelCheckpoint"/>'s documentation, one by one.</summary>
public class ModelCheckpointRuleTests
{
    private const string Name = "model-checkpoint";

    private static List<string> Paths(RunResult run, CheckpointKind kind = CheckpointKind.Regular) =>
        run.All<CheckpointRequested>().Where(c => c.Kind == kind).Select(c => c.Path).ToList();

    private static List<string> Deleted(RunResult run) =>
        run.All<CheckpointDeletionRequested>().Select(d => d.Path).ToList();

    // --- File name templates ---

    [Fact]
    public void The_epoch_in_the_file_name_is_one_based_and_metrics_come_from_the_logs()
    {
        var run = Runner.Run(new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_loss:.4f}-{loss}.keras"),
            [Epoch(("loss", 0.30000000000000004), ("val_loss", 0.123456)), Epoch(("loss", 1e-05), ("val_loss", 2.5))]);
        Assert.Equal(["ckpt-01-0.1235-0.30000000000000004.keras", "ckpt-02-2.5000-1e-05.keras"], Paths(run));
    }

    [Fact]
    public void Rounding_in_file_names_is_pythons_half_to_even_on_the_binary_value()
    {
        var run = Runner.Run(new ModelCheckpointSettings("w-{val_loss:.2f}-{loss:.0f}-{acc:.2e}.h5"),
            [Epoch(("val_loss", 0.125), ("loss", 0.5), ("acc", 0.125)), Epoch(("val_loss", 2.5), ("loss", 2.5), ("acc", 2.5)),
             Epoch(("val_loss", 2.675), ("loss", 3.5), ("acc", 2.675))]);
        Assert.Equal(["w-0.12-0-1.25e-01.h5", "w-2.50-2-2.50e+00.h5", "w-2.67-4-2.67e+00.h5"], Paths(run));
    }

    // BUG (see report): Python's str.format lets a template use a field more than once, e.g.
    // "{epoch:02d}/ckpt-{epoch:02d}.keras"; ModelCheckpoint's constructor builds its probe with
    // ToDictionary over the field names and crashes with an ArgumentException ("An item with the
    // same key has already been added") instead of accepting the template.
    [Fact]
    public void A_field_may_appear_twice_in_the_template()
    {
        var run = Runner.Run(new ModelCheckpointSettings("run-{epoch:02d}/ckpt-{epoch:02d}-{val_loss:.2f}-{val_loss:.0e}.keras"),
            [Epoch(("val_loss", 0.125))]);
        Assert.Equal(["run-01/ckpt-01-0.12-1e-01.keras"], Paths(run));
    }

    [Fact]
    public void The_batch_in_the_file_name_is_one_based_unless_the_logs_have_a_batch()
    {
        var run = Runner.Run(new ModelCheckpointSettings("e{epoch}-b{batch}.keras") { SaveFreqBatches = 1 },
            [Epoch(Logs(("loss", 1.0)), Logs(("loss", 1.0)), Logs(("loss", 1.0), ("batch", 7)))]);
        Assert.Equal(["e1-b1.keras", "e1-b7.0.keras"], Paths(run)); // a logged batch is a float, as Keras's would be
    }

    [Fact]
    public void A_placeholder_missing_from_the_logs_is_a_callback_exception_naming_it()
    {
        var engine = Runner.Engine(0.01, new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_acc:.3f}.keras") { Monitor = "val_loss" });
        engine.BeginEpoch(4);
        var e = Assert.Throws<CallbackException>(() => engine.EndEpoch(Logs(("loss", 0.5), ("val_loss", 0.4))));
        Assert.Equal(Name, e.Callback);
        Assert.Contains("{val_acc}", e.Message);
        Assert.Contains("epoch 4", e.Message);
        Assert.Contains("available: epoch, loss, val_loss", e.Message);
    }

    [Fact]
    public void A_metric_with_a_precision_and_no_type_formats_as_Python_formats_a_float()
    {
        // '{val_loss:.4}' is valid Python for a float ('g'-like, at least one decimal): 2.2712 -> 2.271, 2.27 -> 2.27.
        var run = Runner.Run(new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_loss:.4}.weights"),
            [Epoch(("val_loss", 2.2712)), Epoch(("val_loss", 2.27))]);
        Assert.Equal(["ckpt-01-2.271.weights", "ckpt-02-2.27.weights"], Paths(run));
    }

    [Fact]
    public void A_batch_placeholder_at_an_epoch_end_save_is_missing()
    {
        var engine = Runner.Engine(0.01, new ModelCheckpointSettings("ckpt-{batch}.keras"));
        engine.BeginEpoch(0);
        Assert.Contains("{batch}", Assert.Throws<CallbackException>(() => engine.EndEpoch(Logs(("val_loss", 1.0)))).Message);
    }

    [Theory]
    [InlineData("ckpt-{epoch")]
    [InlineData("ckpt-epoch}.keras")]
    [InlineData("ckpt-{}.keras")]
    [InlineData("ckpt-{0}.keras")]
    [InlineData("ckpt-{epoch:02q}.keras")]
    [InlineData("ckpt-{epoch!x}.keras")]
    [InlineData("ckpt-{epoch:.}.keras")]
    [InlineData("")]
    [InlineData("ckpt-{val_loss:d}.keras")] // a metric is a Python float: format(2.27, 'd') raises
    [InlineData("ckpt-{epoch:.2}.keras")] // the epoch is a Python int: format(3, '.2') raises
    public void A_template_python_would_reject_is_a_configuration_error(string template)
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01, new ModelCheckpointSettings(template)));
        Assert.Equal("filepath", e.Field);
        Assert.Equal(Name, e.Callback);
    }

    [Fact]
    public void A_float_metric_with_an_integer_format_is_refused_at_start_with_Pythons_message()
    {
        // The constructor probes the template with the types Keras passes (epoch and batch ints, metrics
        // floats), so "{val_loss:d}" is refused before training, with the ValueError Python would raise.
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01, new ModelCheckpointSettings("m-{val_loss:d}")));
        Assert.Contains("Unknown format code 'd' for object of type 'float'", e.Message);
        // An int (the epoch) does take 'f', as in Python.
        Assert.Equal(["m-1.00", "m-2.00"], Paths(Runner.Run(new ModelCheckpointSettings("m-{epoch:.2f}"), Of("val_loss", 1, 1))));
    }

    [Fact]
    public void Any_file_suffix_is_accepted_and_escaped_braces_stay_literal()
    {
        var run = Runner.Run(new ModelCheckpointSettings("runs/{{x}}/model-{epoch}") { SaveWeightsOnly = true }, [Epoch(("val_loss", 1.0))]);
        var save = Assert.Single(run.All<CheckpointRequested>());
        Assert.Equal("runs/{x}/model-1", save.Path);
        Assert.True(save.WeightsOnly);
    }

    // --- save_best_only and mode ---

    [Theory]
    [InlineData(MonitorMode.Min, new[] { 3.0, 2.0, 2.0, 2.5, 1.0 }, new[] { 1, 2, 5 })]
    [InlineData(MonitorMode.Max, new[] { 3.0, 2.0, 3.0, 3.5, 1.0 }, new[] { 1, 4 })]
    public void Save_best_only_saves_only_strict_improvements_in_the_modes_direction(MonitorMode mode, double[] values, int[] savedEpochs)
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { Monitor = "score", Mode = mode, SaveBestOnly = true }, Of("score", values));
        Assert.Equal(savedEpochs.Select(e => $"m-{e}"), Paths(run));
        Assert.Equal(savedEpochs.Select(e => values[e - 1]), run.All<CheckpointRequested>().Select(c => c.MonitorValue!.Value));
    }

    [Fact]
    public void Without_save_best_only_every_epoch_is_saved()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}"), Of("val_loss", 1, 2, double.NaN));
        Assert.Equal(["m-1", "m-2", "m-3"], Paths(run));
    }

    [Fact]
    public void A_first_nan_is_saved_as_the_best_and_nothing_improves_on_it()
    {
        // Keras 3.16: best starts as None (no initial-value-threshold), so the first value is saved
        // whatever it is; every comparison with a NaN best is false.
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true }, Of("val_loss", double.NaN, 2, double.NaN, 1));
        Assert.Equal(["m-1"], Paths(run));
        Assert.True(double.IsNaN(((ModelCheckpoint)run.Engine.Callbacks[0]).Best!.Value));
    }

    [Fact]
    public void A_later_nan_is_never_an_improvement()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true }, Of("val_loss", 2, double.NaN, 1));
        Assert.Equal(["m-1", "m-3"], Paths(run));
    }

    [Fact]
    public void Initial_value_threshold_is_the_starting_best_so_a_first_nan_is_not_saved()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true, InitialValueThreshold = 3 },
            Of("val_loss", double.NaN, 4, 2));
        Assert.Equal(["m-3"], Paths(run));
    }

    [Fact]
    public void Save_best_only_with_the_monitor_missing_warns_and_saves_as_keras_3_does()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true, Monitor = "val_loss" },
            [Epoch(("val_loss", 1.0)), Epoch(("loss", 0.5))]);
        Assert.Equal(["m-1", "m-2"], Paths(run));
        Assert.Equal([new CallbackWarning(Name, "Can save best model only with val_loss available.")], run.All<CallbackWarning>());
        Assert.Null(run.All<CheckpointRequested>().Last().MonitorValue);
        Assert.Equal(1.0, ((ModelCheckpoint)run.Engine.Callbacks[0]).Best);
    }

    [Theory]
    [InlineData(MonitorMode.Min, 0.5, new[] { 0.7, 0.5, 0.4, 0.45 }, new[] { 3 })]
    [InlineData(MonitorMode.Max, 0.9, new[] { 0.8, 0.91, 0.9 }, new[] { 2 })]
    public void Initial_value_threshold_is_the_best_to_beat_from_the_start(MonitorMode mode, double threshold, double[] values, int[] savedEpochs)
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { Monitor = "score", Mode = mode, SaveBestOnly = true, InitialValueThreshold = threshold },
            Of("score", values));
        Assert.Equal(savedEpochs.Select(e => $"m-{e}"), Paths(run));
    }

    [Fact]
    public void Initial_value_threshold_does_not_matter_without_save_best_only()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { InitialValueThreshold = 0 }, Of("val_loss", 1, 2));
        Assert.Equal(["m-1", "m-2"], Paths(run));
    }

    // --- save_freq ---

    [Fact]
    public void Save_freq_counts_batches_across_epochs()
    {
        // 5 batches per epoch, a save every 7: after (epoch 1, batch 1), (2, 3), (4, 0).
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}-{batch}") { SaveFreqBatches = 7 }, Batched(5, 5));
        Assert.Equal(["m-2-2", "m-3-4", "m-5-1"], Paths(run));
        Assert.Equal([(1, 1), (2, 3), (4, 0)], run.All<CheckpointRequested>().Select(c => (c.Epoch, c.Batch!.Value)));
    }

    [Fact]
    public void Save_freq_saves_use_the_batch_logs_and_never_the_epoch_end()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}-{loss}") { SaveFreqBatches = 2, Monitor = "loss" },
            [Epoch(Logs(("loss", 9.0), ("val_loss", 9.0)), Logs(("loss", 1.0)), Logs(("loss", 0.5)), Logs(("loss", 0.25)))]);
        Assert.Equal(["m-1-0.5"], Paths(run));
        Assert.Empty(run.Epochs[0].Ended!.Decisions);
    }

    [Fact]
    public void Save_freq_with_steps_per_execution_style_batch_indices_adds_the_gap()
    {
        // Keras: batch indices that jump (steps_per_execution = 3) add batch - last_batch_seen; as in
        // Keras's _should_save_on_batch the first window counts 2 for batch 2 (last seen starts at 0).
        var engine = Runner.Engine(0.01, new ModelCheckpointSettings("m-{epoch}-{batch}") { SaveFreqBatches = 6 });
        engine.BeginEpoch(0);
        var saves = new[] { 2, 5, 8, 11, 14, 17 }.Select(b => engine.EndBatch(b, Logs(("loss", 1.0))).Decisions.Count).ToList();
        Assert.Equal([0, 0, 1, 0, 1, 0], saves); // counts 2, 5, 8 -> save; 3, 6 -> save; 3
    }

    // --- save-top-k ---

    [Fact]
    public void Save_top_k_keeps_the_k_best_and_asks_for_the_others_to_be_deleted()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 2 }, Of("val_loss", 5, 4, 6, 3, 3.5, 7));
        Assert.Equal(["m-1", "m-2", "m-4", "m-5"], Paths(run));
        Assert.Equal(["m-1", "m-2"], Deleted(run));
        Assert.Equal([
            new CheckpointDeletionRequested(Name, 3, "m-1", "save-top-k = 2: val_loss = 5.0 is no longer among the best"),
            new CheckpointDeletionRequested(Name, 4, "m-2", "save-top-k = 2: val_loss = 4.0 is no longer among the best"),
        ], run.All<CheckpointDeletionRequested>());
        Assert.Equal(["m-4", "m-5"], ((ModelCheckpoint)run.Engine.Callbacks[0]).Kept.Select(k => k.Path).OrderBy(p => p));
    }

    [Fact]
    public void Save_top_k_deletes_after_the_new_save_and_among_equals_the_oldest_goes_first()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 2, Monitor = "val_accuracy" }, Of("val_accuracy", 0.5, 0.5, 0.6));
        Assert.Equal(["m-1", "m-2", "m-3"], Paths(run));
        Assert.Equal(["m-1"], Deleted(run));
        var last = run.Epochs[2].Decisions;
        Assert.IsType<CheckpointRequested>(last[0]);
        Assert.IsType<CheckpointDeletionRequested>(last[1]);
    }

    [Fact]
    public void Save_top_k_zero_saves_nothing_and_minus_one_keeps_all()
    {
        Assert.Empty(Paths(Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 0 }, Of("val_loss", 3, 2, 1))));
        var all = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = -1 }, Of("val_loss", 3, 2, 1, 4));
        Assert.Equal(4, Paths(all).Count);
        Assert.Empty(Deleted(all));
    }

    [Fact]
    public void Save_top_k_with_save_best_only_deletes_the_older_bests()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 1, SaveBestOnly = true }, Of("val_loss", 3, 4, 2, 1));
        Assert.Equal(["m-1", "m-3", "m-4"], Paths(run));
        Assert.Equal(["m-1", "m-3"], Deleted(run));
    }

    [Fact]
    public void Save_top_k_counts_a_missing_monitor_as_the_worst()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 1 },
            [Epoch(("loss", 1.0)), Epoch(("val_loss", 2.0)), Epoch(("loss", 1.0))]);
        Assert.Equal(["m-1", "m-2"], Paths(run));
        Assert.Equal(["m-1"], Deleted(run));
        Assert.Equal("save-top-k = 1: val_loss = missing is no longer among the best", run.All<CheckpointDeletionRequested>().Single().Why);
    }

    // BUG (see report): a NaN monitor value is kept among the top k and then blocks every later save.
    // Lightning (where save-top-k comes from) replaces a NaN monitor by the worst value (+inf when
    // minimizing) before ranking; here NaN compares false both ways, so with k = 1 the NaN file of
    // epoch 1 is never beaten: the finite, better val_loss of epochs 2 and 3 are not saved.
    [Fact]
    public void Save_top_k_ranks_a_nan_monitor_as_the_worst()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}") { SaveTopK = 1 }, Of("val_loss", double.NaN, 3.0, 2.0));
        Assert.Equal(["m-1", "m-2", "m-3"], Paths(run));
        Assert.Equal(["m-1", "m-2"], Deleted(run));
    }

    // BUG (see report): with a file name that repeats (no {epoch} in it), save-top-k = 1 overwrites
    // the best checkpoint with a worse one: the file already kept is left out of the ranking
    // (`others` excludes the same path), so "fewer than k others" always holds. Lightning compares
    // with the k-th best kept value and does not save a worse model.
    [Fact]
    public void Save_top_k_does_not_overwrite_a_better_checkpoint_of_the_same_name()
    {
        var run = Runner.Run(new ModelCheckpointSettings("best.keras") { SaveTopK = 1 }, Of("val_loss", 5.0, 6.0, 4.0));
        Assert.Equal([5.0, 4.0], run.All<CheckpointRequested>().Select(c => c.MonitorValue!.Value));
        Assert.Equal(4.0, Assert.Single(((ModelCheckpoint)run.Engine.Callbacks[0]).Kept).Value);
    }

    // --- save-last ---

    [Fact]
    public void Save_last_writes_the_newest_weights_at_every_save_point_even_when_not_the_best()
    {
        var run = Runner.Run(new ModelCheckpointSettings("ckpt/m-{epoch:02d}.weights.h5") { SaveBestOnly = true, SaveLast = true, SaveWeightsOnly = true },
            Of("val_loss", 2, 3, 1));
        Assert.Equal(["ckpt/m-01.weights.h5", "ckpt/m-03.weights.h5"], Paths(run));
        Assert.Equal(["ckpt/last.h5", "ckpt/last.h5", "ckpt/last.h5"], Paths(run, CheckpointKind.Last));
        Assert.All(run.All<CheckpointRequested>(), c => Assert.True(c.WeightsOnly));
        Assert.Equal([CheckpointKind.Regular, CheckpointKind.Last], run.Epochs[0].Decisions.OfType<CheckpointRequested>().Select(c => c.Kind));
    }

    [Fact]
    public void Save_last_follows_save_freq_and_may_name_its_file()
    {
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}-{batch}") { SaveFreqBatches = 3, SaveLast = true, LastFilepath = "latest.ckpt", SaveTopK = 0 },
            Batched(2, 2));
        // Batches counted across epochs: (0, 0), (0, 1), (1, 0) -> the save point is epoch 1, batch 0.
        Assert.Empty(Paths(run));
        var last = Assert.Single(run.All<CheckpointRequested>());
        Assert.Equal(("latest.ckpt", CheckpointKind.Last, 1, (int?)0), (last.Path, last.Kind, last.Epoch, last.Batch));
    }

    [Theory]
    [InlineData("ckpt/m-{epoch:02d}.weights.h5", "ckpt/last.h5")]
    [InlineData("m-{epoch:02d}-{val_loss:.4f}.keras", "last.keras")]
    [InlineData("a.b/ckpt-{epoch}", "a.b/last")]
    [InlineData("runs/x/model-{val_loss:.4f}", "runs/x/last")]
    [InlineData("model.keras", "last.keras")]
    public void The_default_last_path_is_last_plus_the_templates_suffix_in_its_folder(string template, string expected)
    {
        Assert.Equal(expected, ModelCheckpoint.DefaultLastPath(template));
    }

    // --- Configuration ---

    [Theory]
    [InlineData(0, null)]
    [InlineData(-3, null)]
    [InlineData(null, -2)]
    public void Save_freq_below_one_and_save_top_k_below_minus_one_are_configuration_errors(int? saveFreq, int? topK)
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01,
            new ModelCheckpointSettings("m.keras") { SaveFreqBatches = saveFreq, SaveTopK = topK ?? -1 }));
        Assert.Equal(saveFreq is not null ? "save-freq" : "save-top-k", e.Field);
    }

    [Fact]
    public void Keras_defaults()
    {
        var s = new ModelCheckpointSettings("m.keras");
        Assert.Equal(("val_loss", false, false, MonitorMode.Auto, (int?)null, (double?)null, -1, false),
            (s.Monitor, s.SaveBestOnly, s.SaveWeightsOnly, s.Mode, s.SaveFreqBatches, s.InitialValueThreshold, s.SaveTopK, s.SaveLast));
    }
}
