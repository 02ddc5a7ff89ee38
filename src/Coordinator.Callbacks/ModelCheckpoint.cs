using System.Globalization;
using Coordinator.Callbacks.Formatting;
using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// Keras 3's <c>ModelCheckpoint</c> as decisions: which file to write, when. The file name is
/// the template filled by Python's <c>str.format</c> with the 1-based epoch (and batch) and the
/// logs; with save_best_only a file is written only when the monitor improves (or is missing,
/// with a warning, as Keras does). <c>best</c> starts at <c>initial_value_threshold</c>, by default
/// <c>None</c>, so the first value is saved, even NaN; as in Keras it is not reset at train begin. save_freq counts batches across epochs as Keras does.
/// save-top-k keeps the k best files and asks for the others to be deleted; save-last writes
/// the newest weights to one fixed file.
/// </summary>
public sealed class ModelCheckpoint : TrainingCallback
{
    private readonly ModelCheckpointSettings _s;
    private readonly MonitorComparison _cmp;
    private readonly string _lastPath;
    private double? _best;
    private int _currentEpoch;
    private int _batchesSinceLastSave;
    private int _lastBatchSeen;
    private List<KeptCheckpoint> _kept = [];
    private (int Epoch, int? Batch)? _savedAt; // the last save point (not state: it matters only until the hook returns)

    public ModelCheckpoint(string name, ModelCheckpointSettings settings, IReadOnlyDictionary<string, Direction?>? declared = null) : base(name)
    {
        var inv = CultureInfo.InvariantCulture;
        if (string.IsNullOrWhiteSpace(settings.Filepath))
            throw new CallbackConfigurationException(name, "filepath", "\"\"", "must name a file, e.g. \"ckpt-{epoch:02d}-{val_loss:.4f}.weights\"");
        if (settings.SaveFreqBatches is < 1)
            throw new CallbackConfigurationException(name, "save-freq", settings.SaveFreqBatches.Value.ToString(inv), "must be \"epoch\" or a whole number of batches, 1 or more");
        if (settings.SaveTopK < -1)
            throw new CallbackConfigurationException(name, "save-top-k", settings.SaveTopK.ToString(inv), "must be -1 (keep all), 0 (save none) or a positive number of files");
        try
        {
            // epoch and batch are Python ints, the logs floats: {val_loss:.4} is valid, {val_loss:d} is not (as in Keras).
            var probe = PythonFormat.FieldNames(settings.Filepath).Distinct()
                .ToDictionary(n => n, object (n) => n is "epoch" or "batch" ? (object)1L : 1.0);
            PythonFormat.Format(settings.Filepath, probe);
        }
        catch (PythonFormatException e) when (e is not PythonFormatKeyException)
        {
            throw new CallbackConfigurationException(name, "filepath", $"\"{settings.Filepath}\"", e.Message);
        }
        MonitorSettingsCheck.Finite(name, "initial-value-threshold", settings.InitialValueThreshold);
        _s = settings;
        _cmp = new MonitorComparison(MetricDirections.Resolve(name, settings.Monitor, settings.Mode, declared), 0);
        _best = settings.InitialValueThreshold;
        _lastPath = settings.LastFilepath ?? DefaultLastPath(settings.Filepath);
    }

    /// <summary>The best monitored value; null (Keras's None) before any was seen.</summary>
    public double? Best => _best;
    public IReadOnlyList<KeptCheckpoint> Kept => _kept;

    /// <summary>Only save-best-only and save-top-k compare the monitor.</summary>
    public override MonitorReading? Monitoring =>
        _s.SaveBestOnly || _s.SaveTopK > 0 ? new MonitorReading(_s.Monitor, _cmp.Direction, _best) : null;

    public override bool Compared(int epoch, int? batch) => _savedAt == (epoch, batch);

    /// <summary><c>last</c> plus the template's suffix (the text after its last dot, if no field follows), in its folder.</summary>
    public static string DefaultLastPath(string template)
    {
        var slash = template.LastIndexOf('/');
        var folder = slash >= 0 ? template[..(slash + 1)] : "";
        var file = template[(slash + 1)..];
        var dot = file.LastIndexOf('.');
        var suffix = dot >= 0 && file.IndexOf('}', dot) < 0 ? file[dot..] : "";
        return folder + "last" + suffix;
    }

    public override void OnEpochBegin(int epoch, TrainingContext context) => _currentEpoch = epoch;

    public override void OnTrainBatchEnd(int epoch, int batch, MetricLogs logs, TrainingContext context)
    {
        if (ShouldSaveOnBatch(batch)) Save(_currentEpoch, batch, logs, context);
    }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context)
    {
        if (_s.SaveFreqBatches is null) Save(epoch, null, logs, context);
    }

    private bool ShouldSaveOnBatch(int batch)
    {
        if (_s.SaveFreqBatches is not { } every) return false;
        var added = batch <= _lastBatchSeen ? batch + 1 : batch - _lastBatchSeen; // a new epoch restarts at 0
        _batchesSinceLastSave += added;
        _lastBatchSeen = batch;
        if (_batchesSinceLastSave < every) return false;
        _batchesSinceLastSave = 0;
        return true;
    }

    private void Save(int epoch, int? batch, MetricLogs logs, TrainingContext context)
    {
        _savedAt = (epoch, batch);
        var path = FilePath(epoch, batch, logs);
        var current = logs.Get(_s.Monitor);
        if (ShouldSave(current, context) && FitsTopK(path, current))
        {
            context.Emit(new CheckpointRequested(Name, epoch, batch, path, _s.Monitor, current, _s.SaveWeightsOnly, CheckpointKind.Regular));
            Keep(path, current, epoch, context);
        }
        if (_s.SaveLast)
            context.Emit(new CheckpointRequested(Name, epoch, batch, _lastPath, _s.Monitor, current, _s.SaveWeightsOnly, CheckpointKind.Last));
    }

    private bool ShouldSave(double? current, TrainingContext context)
    {
        if (!_s.SaveBestOnly) return true;
        if (current is not { } value)
        {
            context.Emit(new CallbackWarning(Name, $"Can save best model only with {_s.Monitor} available."));
            return true;
        }
        if (!_cmp.IsImprovement(value, _best)) return false;
        _best = value;
        return true;
    }

    private bool FitsTopK(string path, double? current)
    {
        if (_s.SaveTopK < 0) return true;
        if (_s.SaveTopK == 0) return false;
        // Lightning's rule: save while fewer than k are kept, else only what beats the k-th best
        // (a file kept under the same name counts too, so a worse model never overwrites it).
        var replaces = _kept.Any(k => k.Path == path);
        if (!replaces && _kept.Count < _s.SaveTopK) return true;
        return current is { } value && !double.IsNaN(value) && _cmp.Better(value, Rank(Worst(_kept)));
    }

    private void Keep(string path, double? value, int epoch, TrainingContext context)
    {
        _kept.RemoveAll(k => k.Path == path);
        _kept.Add(new KeptCheckpoint(path, value, epoch));
        while (_s.SaveTopK > 0 && _kept.Count > _s.SaveTopK)
        {
            var worst = Worst(_kept);
            _kept.Remove(worst);
            context.Emit(new CheckpointDeletionRequested(Name, epoch, worst.Path,
                $"save-top-k = {_s.SaveTopK}: {_s.Monitor} = {(worst.Value is { } v ? PythonFloat.Repr(v) : "missing")} is no longer among the best"));
        }
    }

    // A missing or NaN value ranks worst, as Lightning ranks NaN.
    private double Rank(KeptCheckpoint k) => k.Value is { } v && !double.IsNaN(v) ? v : _cmp.Worst;

    // The worst kept file: the worst value; among equals, the oldest.
    private KeptCheckpoint Worst(IEnumerable<KeptCheckpoint> kept) =>
        kept.Aggregate((worst, k) => _cmp.Better(Rank(worst), Rank(k)) || (Rank(k).Equals(_cmp.Worst) && !Rank(worst).Equals(_cmp.Worst)) ? k : worst);

    private string FilePath(int epoch, int? batch, MetricLogs logs)
    {
        var args = new Dictionary<string, object>(StringComparer.Ordinal) { ["epoch"] = (long)(epoch + 1) };
        if (batch is { } b && !logs.ContainsKey("batch")) args["batch"] = (long)(b + 1);
        foreach (var (k, v) in logs) args[k] = v;
        try
        {
            return PythonFormat.Format(_s.Filepath, args);
        }
        catch (PythonFormatKeyException e)
        {
            throw new CallbackException(Name,
                $"filepath \"{_s.Filepath}\" names {{{e.Key}}}, which is not in the logs at epoch {epoch}" +
                (batch is { } bb ? $" batch {bb}" : "") + $" (available: {string.Join(", ", args.Keys)})");
        }
    }

    public override CallbackState SaveState() =>
        new ModelCheckpointState(_best, _currentEpoch, _batchesSinceLastSave, _lastBatchSeen, _kept.ToArray());

    public override void RestoreState(CallbackState state)
    {
        var s = Expect<ModelCheckpointState>(state);
        (_best, _currentEpoch, _batchesSinceLastSave, _lastBatchSeen) = (s.Best, s.CurrentEpoch, s.BatchesSinceLastSave, s.LastBatchSeen);
        _kept = [.. s.Kept];
    }
}
