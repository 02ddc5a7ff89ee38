using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Progress;

/// <summary>
/// How the supervisor (and the reader that reports the run's end) publishes a run's progress: stamped with the run id,
/// on the ActorSystem's event stream and, if given, on a topic beyond it (a cluster's DistributedPubSub). Step reports are
/// coalesced to a bounded rate (<see cref="StepReports"/>). Any number of subscribers, none known to the publisher.
/// Used by the actors of one run; a lock keeps a hand-over between them (supervisor, then reader) in order.
/// </summary>
public sealed class RunProgressPublisher
{
    /// <summary>At most this many step messages a second (plus one per epoch): enough for a live bar, little for a network.</summary>
    public static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _runId;
    private readonly EventStream _stream;
    private readonly IProgressTopic? _topic;
    private readonly StepReports _steps;
    private readonly Lock _lock = new();

    public RunProgressPublisher(string runId, EventStream stream, IProgressTopic? topic = null, Func<TimeSpan>? clock = null)
    {
        (_runId, _stream, _topic) = (runId, stream, topic);
        var wall = Stopwatch.StartNew();
        _steps = new StepReports(StepInterval, clock ?? (() => wall.Elapsed));
    }

    public static RunProgressPublisher For(ActorSystem system, string runId, IProgressTopic? topic = null) =>
        new(runId, system.EventStream, topic);

    public void Publish(RunProgress.Update update)
    {
        lock (_lock)
        {
            switch (update)
            {
                case RunProgress.StepsReported steps:
                    foreach (var (step, loss) in steps.Steps)
                        if (_steps.Add(steps.Epoch, step, loss) is { } due) Send(due);
                    return;
                case RunProgress.EpochBegan began:
                    SendPending();
                    _steps.EpochBegan(began.Steps);
                    break;
                default:
                    SendPending();
                    break;
            }
            Send(update);
        }
    }

    private void SendPending()
    {
        if (_steps.Flush() is { } pending) Send(pending);
    }

    private void Send(RunProgress.Update update)
    {
        var stamped = update with { RunId = _runId };
        _stream.Publish(stamped);
        _topic?.Publish(stamped);
    }
}
