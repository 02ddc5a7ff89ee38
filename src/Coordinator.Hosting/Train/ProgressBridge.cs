using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Train;

/// <summary>
/// The console's subscriber to the run's progress: puts it in words (epoch lines, warnings, notes) for the
/// <see cref="ITrainingProgress"/> display, and completes <c>outcome</c> when the run finishes (or the supervisor
/// stops without finishing, e.g. when its journal failed). The run-folder writers are subscribers of their own
/// (<see cref="TensorBoardWriter"/>, <see cref="RunFilesWriter"/>).
/// </summary>
public sealed class ProgressBridge : ReceiveActor, IWithTimers
{
    private readonly List<(int Epoch, IReadOnlyDictionary<string, double> Logs)> _epochs = [];

    public ProgressBridge(string runId, ITrainingProgress progress, TaskCompletionSource<RunOutcome> outcome)
    {
        var total = 0;
        Receive<RunProgress.Update>(u => u.RunId != runId, _ => { }); // another run's, in the same ActorSystem
        Receive<RunProgress.EpochBegan>(b =>
        {
            total = b.Epochs;
            progress.EpochStarted(b.Epoch, b.Epochs, b.Steps, b.LearningRate);
        });
        Receive<RunProgress.StepsReported>(s =>
        {
            foreach (var (step, loss) in s.Steps) progress.BatchCompleted(step + 1, loss); // steps completed so far
        });
        Receive<RunProgress.EpochSummarized>(e =>
        {
            _epochs.Add((e.Epoch, e.Logs));
            var record = RunSummaries.Record(e.Epoch, Get(e.Logs, "learning_rate"), e.Logs, e.Seconds);
            progress.EpochCompleted(EpochLine.Format(record, total, ProgressText.EpochNotes(e.Decisions)));
        });
        Receive<RunProgress.Recovered>(r => progress.Message(ProgressText.Recovered(r)));
        Receive<RunProgress.RunFinished>(f =>
            outcome.TrySetResult(new RunOutcome(f.Summary, f.Epochs.Select(e => (e.Epoch, e.Logs)).ToArray())));
        // Nothing was decided: end now, with the one line that says why (the host writes no run files).
        Receive<RunProgress.RecoveryFailed>(f => outcome.TrySetResult(new RunOutcome(null, [], f.Reason)));
        Receive<RunProgress.Update>(u =>
        {
            if (ProgressText.Warning(u) is { } warning) progress.Message($"warning: {warning}");
            else if (ProgressText.Note(u) is { } note) progress.Message(note);
        });
        Receive<WatchSupervisor>(w => Context.Watch(w.Supervisor));
        // After a journal fault the supervisor stops before the run's report (read back from the
        // journal by another actor) arrives: give that report time before giving up on it.
        Receive<Terminated>(_ => Timers.StartSingleTimer("no-report", NoReport.Instance, TimeSpan.FromSeconds(30)));
        Receive<NoReport>(_ => outcome.TrySetResult(new RunOutcome(null, _epochs.ToArray())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The console's subscriber for run <paramref name="runId"/>, subscribed before anything is published.</summary>
    public static IActorRef Start(IActorRefFactory factory, EventStream stream, string runId, ITrainingProgress progress,
        TaskCompletionSource<RunOutcome> outcome)
    {
        var bridge = factory.ActorOf(Akka.Actor.Props.Create(() => new ProgressBridge(runId, progress, outcome)), "progress");
        RunProgressSubscription.Subscribe(stream, bridge);
        return bridge;
    }

    private static double Get(IReadOnlyDictionary<string, double> logs, string key) => logs.TryGetValue(key, out var v) ? v : double.NaN;

    public sealed record WatchSupervisor(IActorRef Supervisor) : INoSerializationVerificationNeeded;

    private sealed class NoReport : INoSerializationVerificationNeeded
    {
        public static readonly NoReport Instance = new();
    }
}

/// <summary>How a run ended, as this process saw it; a null summary means the supervisor stopped without one;
/// <paramref name="RecoveryFailure"/> says why the run could not even be read back from its journal.</summary>
public sealed record RunOutcome(RunSummary? Summary, IReadOnlyList<(int Epoch, IReadOnlyDictionary<string, double> Logs)> Epochs,
    string? RecoveryFailure = null);
