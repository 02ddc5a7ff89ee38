using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Coordinator.Reporting.TensorBoard;

namespace Coordinator.Cli.Train;

/// <summary>
/// The run's observer in this process: turns the supervisor's progress messages into console
/// output, writes TensorBoard events as each epoch (and, if asked, every N batches) ends, keeps each
/// epoch's logs for history.csv, and completes when the run finishes (or the supervisor stops without
/// finishing, e.g. when its journal failed).
/// </summary>
public sealed class ProgressBridge : ReceiveActor, IWithTimers
{
    private readonly List<(int Epoch, IReadOnlyDictionary<string, double> Logs)> _epochs = [];
    private TensorBoardLog? _tensorBoard;

    public ProgressBridge(ITrainingProgress progress, TaskCompletionSource<RunOutcome> outcome, TensorBoardTarget? tensorBoard)
    {
        if (tensorBoard is { } tb) _tensorBoard = new TensorBoardLog(tb.RunFolder, tb.UpdateFreq);
        var (total, steps) = (0, 0);
        Receive<RunProgress.EpochBegan>(b =>
        {
            (total, steps) = (b.Epochs, b.Steps);
            progress.EpochStarted(b.Epoch, b.Epochs, b.Steps, b.LearningRate);
        });
        Receive<RunProgress.BatchProgress>(b =>
        {
            progress.BatchCompleted(b.Step + 1, b.RunningLoss); // steps completed so far
            TensorBoard(log => log.BatchEnded((long)b.Epoch * steps + b.Step + 1, b.RunningLoss));
        });
        Receive<RunProgress.EpochSummarized>(e =>
        {
            _epochs.Add((e.Epoch, e.Logs));
            TensorBoard(log => log.EpochEnded(e.Epoch, e.Logs));
            var record = RunSummaries.Record(e.Epoch, Get(e.Logs, "learning_rate"), e.Logs, e.Seconds);
            progress.EpochCompleted(EpochLine.Format(record, total, e.Notes));
        });
        Receive<RunProgress.Warning>(w => progress.Message($"warning: {w.Message}"));
        Receive<RunProgress.Note>(n => progress.Message(n.Message));
        Receive<RunProgress.Recovered>(r => progress.Message(
            $"recovered {r.LastSequenceNr} events ({(r.SnapshotSequenceNr > 0 ? $"snapshot at {r.SnapshotSequenceNr} plus {r.LastSequenceNr - r.SnapshotSequenceNr} after it" : "no snapshot")}), {r.Epochs} epochs"));
        Receive<RunProgress.RunFinished>(f =>
            outcome.TrySetResult(new RunOutcome(f.Summary, f.Epochs.Select(e => (e.Epoch, e.Logs)).ToArray())));
        // Nothing was decided: end now, with the one line that says why (the host writes no run files).
        Receive<RunProgress.RecoveryFailed>(f => outcome.TrySetResult(new RunOutcome(null, [], f.Reason)));
        Receive<WatchSupervisor>(w => Context.Watch(w.Supervisor));
        // After a journal fault the supervisor stops before the run's report (read back from the
        // journal by another actor) arrives: give that report time before giving up on it.
        Receive<Terminated>(_ => Timers.StartSingleTimer("no-report", NoReport.Instance, TimeSpan.FromSeconds(30)));
        Receive<NoReport>(_ => outcome.TrySetResult(new RunOutcome(null, _epochs.ToArray())));

        // A few small appends per epoch, flushed: the run's own file writes are done the same way.
        void TensorBoard(Action<TensorBoardLog> write)
        {
            if (_tensorBoard is null) return;
            try
            {
                write(_tensorBoard);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                progress.Message($"warning: TensorBoard events are no longer written: {e.Message}");
                _tensorBoard.Dispose();
                _tensorBoard = null;
            }
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PostStop() => _tensorBoard?.Dispose();

    /// <param name="tensorBoard">Where to write TensorBoard events as the run goes (null: nowhere).</param>
    public static Props Props(ITrainingProgress progress, TaskCompletionSource<RunOutcome> outcome, TensorBoardTarget? tensorBoard = null) =>
        Akka.Actor.Props.Create(() => new ProgressBridge(progress, outcome, tensorBoard));

    private static double Get(IReadOnlyDictionary<string, double> logs, string key) => logs.TryGetValue(key, out var v) ? v : double.NaN;

    public sealed record WatchSupervisor(IActorRef Supervisor) : INoSerializationVerificationNeeded;

    private sealed class NoReport : INoSerializationVerificationNeeded
    {
        public static readonly NoReport Instance = new();
    }
}

/// <summary>TensorBoard events go to <c>RUN_FOLDER/tensorboard</c>; <paramref name="UpdateFreq"/>: see <see cref="TensorBoardLog"/>.</summary>
public sealed record TensorBoardTarget(string RunFolder, int? UpdateFreq);

/// <summary>How a run ended, as this process saw it; a null summary means the supervisor stopped without one;
/// <paramref name="RecoveryFailure"/> says why the run could not even be read back from its journal.</summary>
public sealed record RunOutcome(RunSummary? Summary, IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> Epochs,
    string? RecoveryFailure = null);
