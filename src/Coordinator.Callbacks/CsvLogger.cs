using Coordinator.Callbacks.Formatting;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>Keras 3's <c>CSVLogger</c>: one row per epoch, as text for the host to write.</summary>
public sealed class CsvLogger(string name, CsvLoggerSettings settings) : TrainingCallback(name)
{
    private IReadOnlyList<string>? _keys;
    private bool _started;

    public override void OnTrainBegin(TrainingContext context)
    {
        _keys = null;
        _started = false;
    }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context)
    {
        _keys ??= KerasCsv.KeysFor(logs.Keys);
        var header = KerasCsv.Header(_keys, settings.Separator);
        var row = KerasCsv.Row(epoch, _keys, logs.Get, settings.Separator);
        context.Emit(new LogLineWriteRequested(Name, settings.Filename, header, row, Truncate: !_started && !settings.Append));
        _started = true;
    }

    public override CallbackState SaveState() => new CsvLoggerState(_keys, _started);

    public override void RestoreState(CallbackState state)
    {
        var s = Expect<CsvLoggerState>(state);
        (_keys, _started) = (s.Keys, s.HeaderWritten);
    }
}
