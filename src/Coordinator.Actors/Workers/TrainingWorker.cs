using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Allreduce;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Transfer;
using Coordinator.Core.Replicas;

namespace Coordinator.Actors.Workers;

/// <summary>
/// A worker: trains one replica on its shard, on a dedicated thread, and keeps it in sync with
/// the others through a ring allreduce in which it passes chunks to the next member. The actor
/// only routes: commands go to the thread, chunks go through the ring bookkeeping, reports go to
/// the supervisor. Phases: building the replica, registering with the supervisor (through a
/// cluster singleton proxy, or directly), member. If the supervisor it registered with dies, the
/// worker drops the epoch in flight and registers again, so a standby supervisor takes it over.
/// </summary>
public sealed class TrainingWorker : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private readonly WorkerSetup _setup;
    private readonly IReplicaFactory _factory;
    private readonly IActorRef _registry;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PayloadTransfer _payloads = PayloadTransfer.Get(Context.System); // started before anything large can come
    private readonly List<AllreduceMessages.RingChunk> _ahead = [];
    private TrainingThread? _thread;
    private EpochRunner? _runner;
    private IReplica? _replica;
    private IActorRef? _supervisor;
    private RingAllreduce? _ring;
    private IActorRef? _next;
    private BeginAllreduce? _pending;
    private long _version;
    private long _bytesBeforeRing;

    // The attempt in flight (Version of its StartEpoch), read by the training thread.
    private long _running = -1;
    private volatile int _stopEpoch = -1;
    private long _abandoned = -1;
    private WorkerCommands.AbortEpoch? _abortToConfirm;

    public TrainingWorker(WorkerSetup setup, IReplicaFactory factory, IActorRef supervisorOrProxy)
    {
        (_setup, _factory, _registry) = (setup, factory, supervisorOrProxy);
        Building();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    /// <param name="supervisorOrProxy">Where registrations go: the supervisor itself, or a cluster
    /// singleton proxy that finds whichever node hosts it now.</param>
    public static Props Props(WorkerSetup setup, IReplicaFactory factory, IActorRef supervisorOrProxy) =>
        Akka.Actor.Props.Create(() => new TrainingWorker(setup, factory, supervisorOrProxy));

    protected override void PreStart()
    {
        var self = Self;
        _thread = new TrainingThread(_setup.Name);
        _thread.Post(() =>
        {
            try
            {
                self.Tell(new ReplicaBuilt(_factory.Create(_setup.Index)));
            }
            catch (Exception e)
            {
                self.Tell(new ThreadFailed($"could not build the replica: {e.Message}"));
            }
        });
    }

    protected override void PostStop()
    {
        _pending?.Result.TrySetCanceled();
        var thread = _thread;
        thread?.Post(() => _replica?.Dispose());
        thread?.Dispose();
    }

    private void Building()
    {
        Receive<ReplicaBuilt>(built =>
        {
            _replica = built.Replica;
            _runner = new EpochRunner(built.Replica, _setup, new ActorAllreduce(Self, _thread!.Stopping));
            BecomeRegistering();
        });
        Receive<ThreadFailed>(Fail);
        ReceiveAny(_ => Stash.Stash());
    }

    private void BecomeRegistering()
    {
        Become(Registering);
        Register();
        Timers.StartPeriodicTimer("register", RegisterAgain.Instance, _setup.RegisterRetry);
    }

    private void Register() => _registry.Tell(new WorkerReports.RegisterWorker(_setup.Name, _replica!.ParameterCount, _setup.DataSha256));

    private void Registering()
    {
        Receive<WorkerCommands.Registered>(r =>
        {
            Timers.Cancel("register");
            _supervisor = Sender;
            _version = Math.Max(_version, r.Version);
            Context.Watch(Sender);
            Become(Member);
            Stash.UnstashAll();
        });
        Receive<WorkerCommands.RunEnded>(_ => Context.Stop(Self));
        Receive<WorkerCommands.RegistrationRefused>(r => _log.Info("{0}: not taken into the run yet: {1}", _setup.Name, r.Reason));
        Receive<WorkerCommands.RegistrationRejected>(r =>
        {
            _log.Error("{0}: rejected by the run: {1}", _setup.Name, r.Reason);
            Context.Parent.Tell(r); // a worker node says why it ends
            Context.Stop(Self);
        });
        Receive<RegisterAgain>(_ => Register());
        Receive<AllreduceMessages.RingChunk>(KeepAhead);
        Receive<EpochFinished>(Finished);
        Receive<BeginAllreduce>(b => b.Result.TrySetCanceled());
        Receive<ThreadFailed>(Fail);
        Receive<Terminated>(_ => { }); // an earlier supervisor
        ReceiveAny(_ => Stash.Stash());
    }

    private void Member()
    {
        Receive<WorkerCommands.StartEpoch>(s => s.Version >= _version, start =>
        {
            _version = start.Version;
            _running = start.Version;
            _stopEpoch = -1;
            _bytesBeforeRing = _runner!.BytesSent;
            _ring = new RingAllreduce(start.Rank, start.Ring.Count, _payloads.Settings.ChunkBytes / sizeof(float)); // no message above a chunk
            _next = start.Ring[(start.Rank + 1) % start.Ring.Count];
            var ahead = _ahead.Where(c => EpochRunner.AttemptOf(c.Round) == start.Version).ToList();
            _ahead.Clear();

            var (self, supervisor, runner) = (Self, _supervisor!, _runner!);
            var assignment = new EpochRunner.Assignment(start.Epoch, start.LearningRate, start.Rank, start.Ring.Count, start.Version);
            _thread!.Post(() =>
            {
                try
                {
                    var report = runner.Run(assignment, () => _stopEpoch == assignment.Epoch,
                        () => Interlocked.Read(ref _abandoned) == assignment.Version, b => supervisor.Tell(b, self));
                    self.Tell(new EpochFinished(assignment.Version, report));
                }
                catch (OperationCanceledException)
                {
                    self.Tell(new EpochFinished(assignment.Version, null));
                }
                catch (Exception e)
                {
                    self.Tell(new ThreadFailed(e.Message));
                }
            });
            foreach (var chunk in ahead) OnChunk(chunk);
        });
        Receive<WorkerCommands.StopEpoch>(s => s.Version >= _version, stop => _stopEpoch = stop.Epoch);
        Receive<WorkerCommands.AbortEpoch>(a => a.Version >= _version, abort =>
        {
            _version = abort.Version;
            if (_running < 0)
            {
                Sender.Tell(new WorkerReports.EpochAborted(abort.Epoch, abort.Version));
                return;
            }
            _abortToConfirm = abort;
            Abandon();
        });
        Receive<WorkerCommands.RunEnded>(e => e.Version >= _version, _ => Context.Stop(Self));
        Receive<WorkerCommands.Registered>(r => _version = Math.Max(_version, r.Version)); // an answer to a repeated registration
        Receive<EpochFinished>(Finished);
        Receive<WorkerCommands.CaptureWeights>(c => OnThread(Sender, r => new WorkerReports.WeightsCaptured(c.RequestId, Save(r.SaveWeights))));
        Receive<WorkerCommands.CaptureTrainingState>(c =>
            OnThread(Sender, r => new WorkerReports.TrainingStateCaptured(c.RequestId, Save(r.SaveTrainingState))));
        Receive<WorkerCommands.HashTrainingState>(c => OnThread(Sender, r => new WorkerReports.TrainingStateHashed(c.RequestId,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Save(r.SaveTrainingState))))));
        Receive<WorkerCommands.LoadWeights>(load => OnThread(Sender, r =>
        {
            using (var data = new MemoryStream(load.Weights, writable: false)) r.LoadWeights(data);
            return new WorkerReports.WeightsLoaded(load.RequestId, _runner!.ParameterHash());
        }));
        Receive<WorkerCommands.LoadTrainingState>(load => OnThread(Sender, r =>
        {
            if (load.State is null) ReplaceReplica(); // back to how the run began
            else
                using (var data = new MemoryStream(load.State, writable: false)) r.LoadTrainingState(data);
            return new WorkerReports.TrainingStateLoaded(load.RequestId, _runner!.ParameterHash());
        }));
        Receive<WorkerCommands.Evaluate>(e => OnThread(Sender, _ => _runner!.Evaluate(e.RequestId, e.Rank, e.Workers)));
        Receive<BeginAllreduce>(begin =>
        {
            if (EpochRunner.AttemptOf(begin.Round) != _running || Interlocked.Read(ref _abandoned) == _running)
            {
                begin.Result.TrySetCanceled();
                return;
            }
            _pending = begin;
            var done = _ring!.Start(begin.Round, begin.Vector, SendToNext);
            if (done is not null) Complete(done);
        });
        Receive<AllreduceMessages.RingChunk>(OnChunk);
        Receive<Terminated>(t => t.ActorRef.Equals(_supervisor), _ =>
        {
            _log.Warning("{0}: the supervisor {1} is gone; registering again", _setup.Name, _supervisor!.Path);
            _supervisor = null;
            Abandon();
            BecomeRegistering();
        });
        Receive<ThreadFailed>(Fail);
        // A state or weights this worker handed over did not reach the supervisor: it cannot take part any more.
        Receive<TransferMessages.TransferFailed>(f => Fail(new ThreadFailed($"its {f.MessageType} did not reach the supervisor: {f.Reason}")));
    }

    private void OnChunk(AllreduceMessages.RingChunk chunk)
    {
        var attempt = EpochRunner.AttemptOf(chunk.Round);
        if (attempt > _running || _ring is null) KeepAhead(chunk);
        else if (attempt == _running && Interlocked.Read(ref _abandoned) != _running)
        {
            var done = _ring.Receive(chunk, SendToNext);
            if (done is not null) Complete(done);
        }
        // else: a chunk of an abandoned attempt
    }

    // A peer that started the next attempt first: keep its chunks until our StartEpoch arrives.
    private void KeepAhead(AllreduceMessages.RingChunk chunk) => _ahead.Add(chunk);

    private void Abandon()
    {
        if (_running < 0) return;
        Interlocked.Exchange(ref _abandoned, _running);
        _pending?.Result.TrySetCanceled();
        _pending = null;
    }

    private void Finished(EpochFinished finished)
    {
        if (finished.Version != _running) return;
        _running = -1;
        _ring = null;
        if (finished.Report is { } report && Interlocked.Read(ref _abandoned) != finished.Version)
            _supervisor?.Tell(report);
        if (_abortToConfirm is { } abort)
        {
            _abortToConfirm = null;
            _supervisor?.Tell(new WorkerReports.EpochAborted(abort.Epoch, abort.Version));
        }
    }

    // On the training thread: the replica is only touched there.
    private void ReplaceReplica()
    {
        var fresh = _factory.Create(_setup.Index);
        _replica!.Dispose();
        _replica = fresh;
        _runner!.Replica = fresh;
    }

    /// <summary>Runs <paramref name="work"/> on the training thread with the current replica and replies with its result.</summary>
    private void OnThread(IActorRef replyTo, Func<IReplica, object> work)
    {
        var self = Self;
        _thread!.Post(() =>
        {
            try
            {
                _payloads.Tell(replyTo, work(_replica!), self); // weights and states: in chunks to another node
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                self.Tell(new ThreadFailed(e.Message));
            }
        });
    }

    private static byte[] Save(Action<Stream> save)
    {
        using var data = new MemoryStream();
        save(data);
        return data.ToArray();
    }

    private void SendToNext(AllreduceMessages.RingChunk chunk) => _next!.Tell(chunk, Self);

    private void Complete(float[] sum)
    {
        var pending = _pending!;
        _pending = null;
        _runner!.BytesSent = _ring!.BytesSent + _bytesBeforeRing;
        pending.Result.TrySetResult(sum);
    }

    private void Fail(ThreadFailed failed)
    {
        _log.Error("{0}: {1}", _setup.Name, failed.Reason);
        (_supervisor ?? _registry).Tell(new WorkerReports.WorkerFailed(_setup.Name, failed.Reason));
        Context.Stop(Self);
    }

    // Local-only messages between the actor and its own training thread (never serialized).
    private sealed record ReplicaBuilt(IReplica Replica) : INoSerializationVerificationNeeded;

    private sealed record ThreadFailed(string Reason) : INoSerializationVerificationNeeded;

    private sealed record EpochFinished(long Version, WorkerReports.EpochTrained? Report) : INoSerializationVerificationNeeded;

    private sealed record BeginAllreduce(long Round, float[] Vector, TaskCompletionSource<float[]> Result) : INoSerializationVerificationNeeded;

    private sealed class RegisterAgain : INoSerializationVerificationNeeded
    {
        public static readonly RegisterAgain Instance = new();
    }

    /// <summary>Hands the thread's vector to the actor and blocks the thread until the ring has summed it
    /// (or the attempt is abandoned: then it throws <see cref="OperationCanceledException"/>).</summary>
    private sealed class ActorAllreduce(IActorRef worker, CancellationToken stopping) : IAllreduce
    {
        public float[] Sum(long round, float[] vector)
        {
            var result = new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            worker.Tell(new BeginAllreduce(round, vector, result));
            try
            {
                result.Task.Wait(stopping);
            }
            catch (AggregateException) when (result.Task.IsCanceled)
            {
                throw new OperationCanceledException("the allreduce was abandoned");
            }
            return result.Task.Result;
        }
    }
}
