using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Core.Reporting;

namespace Coordinator.Cli.Train;

/// <summary>
/// A subscriber to the run's progress that writes the files a finished run leaves in its folder (summary.json,
/// history.csv, training.png: <see cref="RunOutputs"/>) when the run's end is published, on the blocking-I/O
/// dispatcher; <c>written</c> completes with the summary written (or the error), so the host shows what is on disk.
/// </summary>
public sealed class RunFilesWriter : ReceiveActor
{
    /// <param name="wall">The process's clock: summary.json's wall_seconds is the whole command's, as the screen shows it
    /// (null: the supervisor's own, as recorded in the journal).</param>
    public RunFilesWriter(string runId, string folder, Stopwatch? wall, TaskCompletionSource<RunSummary> written)
    {
        Receive<RunProgress.RunFinished>(f => f.RunId == runId, f =>
        {
            var summary = wall is null ? f.Summary : f.Summary with { WallSeconds = wall.Elapsed.TotalSeconds };
            try
            {
                RunOutputs.Write(folder, summary, f.Epochs.Select(e => (e.Epoch, e.Logs)).ToArray());
                written.TrySetResult(summary);
            }
            catch (Exception e)
            {
                written.TrySetException(e);
            }
        });
        Receive<RunProgress.Update>(_ => { });
    }

    /// <summary>Starts the writer for run <paramref name="runId"/>, subscribed before anything is published.</summary>
    public static IActorRef Start(IActorRefFactory factory, EventStream stream, string runId, string folder, Stopwatch? wall,
        TaskCompletionSource<RunSummary> written)
    {
        var writer = factory.ActorOf(Props.Create(() => new RunFilesWriter(runId, folder, wall, written))
            .WithDispatcher(TensorBoardWriter.BlockingIo), "run-files");
        RunProgressSubscription.Subscribe(stream, writer);
        return writer;
    }
}
