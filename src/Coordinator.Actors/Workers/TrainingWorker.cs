using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Allreduce;
using Coordinator.Actors.Protocol;
using Coordinator.Core.Replicas;
using Coordinator.Core.Storage;

namespace Coordinator.Actors.Workers;

/// <summary>
/// A worker: trains one replica on its shard, on a dedicated thread, and keeps it in sync with
/// the others through a ring allreduce in which it passes chunks to the next worker. The actor
/// only routes: commands go to the thread, chunks go through the ring bookkeeping, reports go to
/// the supervisor. Phases: finding its ring successor and building the replica, then ready.
/// </summary>
public sealed class TrainingWorker : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly WorkerSetup _setup;
    private readonly IReplicaFactory _factory;
    private readonly IActorRef _supervisor;
    private readonly RingAllreduce _ring;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TrainingThread? _thread;
    private EpochRunner? _runner;
    private IReplica? _replica;
    private IActorRef? _next;
    private BeginAllreduce? _pending;
    private volatile int _stopEpoch = -1;

    public TrainingWorker(WorkerSetup setup, IReplicaFactory factory, IActorRef supervisor)
    {
        (_setup, _factory, _supervisor) = (setup, factory, supervisor);
        _ring = new RingAllreduce(setup.Worker, setup.Workers);
        Starting();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    public static Props Props(WorkerSetup setup, IReplicaFactory factory, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new TrainingWorker(setup, factory, supervisor));

    protected override void PreStart()
    {
        var self = Self;
        _thread = new TrainingThread($"worker-{_setup.Worker}");
        _thread.Post(() =>
        {
            try
            {
                var replica = _factory.Create(_setup.Worker);
                self.Tell(new ReplicaBuilt(replica));
            }
            catch (Exception e)
            {
                self.Tell(new ThreadFailed($"could not build the replica: {e.Message}"));
            }
        });
        FindSuccessor();
    }

    protected override void PostStop()
    {
        _pending?.Result.TrySetCanceled();
        var (thread, replica) = (_thread, _replica);
        if (thread is not null && replica is not null) thread.Post(replica.Dispose);
        thread?.Dispose();
    }

    private void FindSuccessor()
    {
        var next = (_setup.Worker + 1) % _setup.Workers;
        Context.ActorSelection($"../{WorkerSetup.ActorName(next)}").Tell(new Identify(next));
    }

    private void Starting()
    {
        Receive<ActorIdentity>(id =>
        {
            if (id.Subject is null)
                Timers.StartSingleTimer("find-successor", FindSuccessorAgain.Instance, TimeSpan.FromMilliseconds(50));
            else
            {
                _next = id.Subject;
                BecomeReadyWhenComplete();
            }
        });
        Receive<FindSuccessorAgain>(_ => FindSuccessor());
        Receive<ReplicaBuilt>(built =>
        {
            _replica = built.Replica;
            _runner = new EpochRunner(built.Replica, _setup, new ActorAllreduce(Self, _thread!.Stopping));
            BecomeReadyWhenComplete();
        });
        Receive<ThreadFailed>(Fail);
        ReceiveAny(_ => Stash.Stash());
    }

    private void BecomeReadyWhenComplete()
    {
        if (_next is null || _runner is null) return;
        Become(Ready);
        Stash.UnstashAll();
        _supervisor.Tell(new WorkerReports.WorkerReady(_setup.Worker, _replica!.ParameterCount));
    }

    private void Ready()
    {
        Receive<WorkerCommands.StartEpoch>(start =>
        {
            var (self, supervisor, runner, epoch) = (Self, _supervisor, _runner!, start.Epoch);
            _thread!.Post(() => Guard(self, () =>
            {
                var report = runner.Run(epoch, start.LearningRate, () => _stopEpoch == epoch, b => supervisor.Tell(b, self));
                supervisor.Tell(report, self);
            }));
        });
        Receive<WorkerCommands.StopEpoch>(stop => _stopEpoch = stop.Epoch);
        Receive<WorkerCommands.WriteCheckpoint>(write =>
        {
            var (self, replyTo, replica, worker) = (Self, Sender, Replica, _setup.Worker);
            _thread!.Post(() => Guard(self, () =>
            {
                var (sha, bytes) = AtomicFile.Write(write.Path, replica.SaveWeights);
                replyTo.Tell(new WorkerReports.CheckpointWritten(write.RequestId, worker, write.Path, sha, bytes), self);
            }));
        });
        Receive<WorkerCommands.LoadWeights>(load =>
        {
            var (self, replyTo, replica, runner, worker) = (Self, Sender, Replica, _runner!, _setup.Worker);
            _thread!.Post(() => Guard(self, () =>
            {
                using (var file = File.OpenRead(load.Path)) replica.LoadWeights(file);
                replyTo.Tell(new WorkerReports.WeightsLoaded(load.RequestId, worker, runner.ParameterHash()), self);
            }));
        });
        Receive<WorkerCommands.WriteTrainingState>(write =>
        {
            var (self, replyTo, replica, worker) = (Self, Sender, Replica, _setup.Worker);
            _thread!.Post(() => Guard(self, () =>
            {
                var (sha, bytes) = AtomicFile.Write(write.Path, replica.SaveTrainingState);
                replyTo.Tell(new WorkerReports.TrainingStateWritten(write.RequestId, worker, write.Path, sha, bytes), self);
            }));
        });
        Receive<WorkerCommands.LoadTrainingState>(load =>
        {
            var (self, replyTo, replica, runner, worker) = (Self, Sender, Replica, _runner!, _setup.Worker);
            _thread!.Post(() => Guard(self, () =>
            {
                using (var file = File.OpenRead(load.Path)) replica.LoadTrainingState(file);
                replyTo.Tell(new WorkerReports.TrainingStateLoaded(load.RequestId, worker, runner.ParameterHash()), self);
            }));
        });
        Receive<WorkerCommands.Evaluate>(evaluate =>
        {
            var (self, replyTo, runner) = (Self, Sender, _runner!);
            _thread!.Post(() => Guard(self, () => replyTo.Tell(runner.Evaluate(evaluate.RequestId), self)));
        });
        Receive<BeginAllreduce>(begin =>
        {
            _pending = begin;
            var done = _ring.Start(begin.Round, begin.Vector, SendToNext);
            if (done is not null) Complete(done);
        });
        Receive<AllreduceMessages.RingChunk>(chunk =>
        {
            var done = _ring.Receive(chunk, SendToNext);
            if (done is not null) Complete(done);
        });
        Receive<ThreadFailed>(Fail);
    }

    private IReplica Replica => _replica ?? throw new InvalidOperationException("the replica is not built yet");

    private void SendToNext(AllreduceMessages.RingChunk chunk) => _next!.Tell(chunk, Self);

    private void Complete(float[] sum)
    {
        var pending = _pending!;
        _pending = null;
        _runner!.BytesSent = _ring.BytesSent;
        pending.Result.TrySetResult(sum);
    }

    private void Fail(ThreadFailed failed)
    {
        _log.Error("worker {0}: {1}", _setup.Worker, failed.Reason);
        _supervisor.Tell(new WorkerReports.WorkerFailed(_setup.Worker, failed.Reason));
        Context.Stop(Self);
    }

    private static void Guard(IActorRef self, Action work)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            self.Tell(new ThreadFailed(e.Message));
        }
    }

    // Local-only messages between the actor and its own training thread (never serialized).
    private sealed record ReplicaBuilt(IReplica Replica) : INoSerializationVerificationNeeded;

    private sealed record ThreadFailed(string Reason) : INoSerializationVerificationNeeded;

    private sealed record BeginAllreduce(long Round, float[] Vector, TaskCompletionSource<float[]> Result) : INoSerializationVerificationNeeded;

    private sealed class FindSuccessorAgain : INoSerializationVerificationNeeded
    {
        public static readonly FindSuccessorAgain Instance = new();
    }

    /// <summary>Hands the thread's vector to the actor and blocks the thread until the ring has summed it.</summary>
    private sealed class ActorAllreduce(IActorRef worker, CancellationToken stopping) : IAllreduce
    {
        public float[] Sum(long round, float[] vector)
        {
            var result = new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            worker.Tell(new BeginAllreduce(round, vector, result));
            result.Task.Wait(stopping);
            return result.Task.Result;
        }
    }
}
