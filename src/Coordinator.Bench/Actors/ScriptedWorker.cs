using System.Diagnostics;
using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Cli.Bench.Actors;

/// <summary>
/// A worker without a model for B4: it registers with the supervisor as a worker does and, when an
/// epoch starts (or when told to <see cref="Blast"/> at another actor), sends its batch reports for
/// every step as fast as it can, as the rank the epoch gave it. The only part of the bench that
/// speaks the worker protocol.
/// </summary>
public sealed class ScriptedWorker : ReceiveActor
{
    private readonly int _worker;
    private readonly IActorRef _supervisor;

    public ScriptedWorker(int worker, int steps, IActorRef supervisor, BlastClock clock)
    {
        (_worker, _supervisor) = (worker, supervisor);
        Receive<WorkerCommands.StartEpoch>(start => Send(supervisor, start.Rank, start.Epoch, start.Version, steps, clock));
        Receive<Blast>(blast => Send(blast.Target, worker, 0, 0, steps, clock));
        Receive<object>(_ => { }); // anything else a supervisor may ask is not part of the measurement
    }

    public static Props Props(int worker, int steps, IActorRef supervisor, BlastClock clock) =>
        Akka.Actor.Props.Create(() => new ScriptedWorker(worker, steps, supervisor, clock));

    // Ready at once: a model of 1,000 parameters (the supervisor only records the number).
    protected override void PreStart() => _supervisor.Tell(new WorkerReports.RegisterWorker($"scripted-{_worker}", 1_000));

    private static void Send(IActorRef target, int rank, int epoch, long version, int steps, BlastClock clock)
    {
        clock.Start();
        for (var step = 0; step < steps; step++) target.Tell(new WorkerReports.BatchTrained(rank, epoch, step, 8.0, 16, version));
    }

    /// <summary>Send one epoch's reports to <see cref="Target"/> instead of the supervisor.</summary>
    public sealed record Blast(IActorRef Target) : INoSerializationVerificationNeeded;
}

/// <summary>When the first report of a measurement was sent (the first worker to start sets it).</summary>
public sealed class BlastClock
{
    private readonly Stopwatch _clock = new();
    private int _started;

    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _clock.Start();
    }

    public double Seconds => _clock.Elapsed.TotalSeconds;
}
