using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Reporting.TensorBoard;

namespace Coordinator.Cli.Train;

/// <summary>
/// A subscriber to the run's progress that writes TensorBoard events as each epoch (and, if asked, every N batches)
/// ends, so TensorBoard follows the run live. A few small flushed appends per epoch, on the blocking-I/O dispatcher.
/// A write that fails stops the events (with a warning published for the console); the run goes on.
/// </summary>
public sealed class TensorBoardWriter : ReceiveActor
{
    private TensorBoardLog? _log;

    public TensorBoardWriter(string runId, TensorBoardTarget target)
    {
        _log = new TensorBoardLog(target.RunFolder, target.UpdateFreq);
        var steps = 0;
        Receive<RunProgress.Update>(u => u.RunId != runId, _ => { });
        Receive<RunProgress.EpochBegan>(b => steps = b.Steps);
        Receive<RunProgress.StepsReported>(s => Write(log =>
        {
            foreach (var (step, loss) in s.Steps) log.BatchEnded((long)s.Epoch * steps + step + 1, loss);
        }));
        Receive<RunProgress.EpochSummarized>(e => Write(log => log.EpochEnded(e.Epoch, e.Logs)));
        Receive<RunProgress.Update>(_ => { });

        void Write(Action<TensorBoardLog> write)
        {
            if (_log is null) return;
            try
            {
                write(_log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Context.System.EventStream.Publish(new RunProgress.Warning($"TensorBoard events are no longer written: {e.Message}") { RunId = runId });
                _log.Dispose();
                _log = null;
            }
        }
    }

    protected override void PostStop() => _log?.Dispose();

    /// <summary>Starts the writer for run <paramref name="runId"/>, subscribed before anything is published.</summary>
    public static IActorRef Start(IActorRefFactory factory, EventStream stream, string runId, TensorBoardTarget target)
    {
        var writer = factory.ActorOf(Props.Create(() => new TensorBoardWriter(runId, target)).WithDispatcher(BlockingIo), "tensorboard");
        RunProgressSubscription.Subscribe(stream, writer);
        return writer;
    }

    internal const string BlockingIo = "akka.actor.default-blocking-io-dispatcher";
}

/// <summary>TensorBoard events go to <c>RUN_FOLDER/tensorboard</c>; <paramref name="UpdateFreq"/>: see <see cref="TensorBoardLog"/>.</summary>
public sealed record TensorBoardTarget(string RunFolder, int? UpdateFreq);
