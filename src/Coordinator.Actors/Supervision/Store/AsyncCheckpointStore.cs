using Coordinator.Core.Storage;

namespace Coordinator.Actors.Supervision.Store;

/// <summary>
/// The checkpoint store off the supervisor's thread: every piece of file work (writing with its SHA-256,
/// reading, verifying, deleting, appending log rows) runs as a task on a scheduler of its own, one at a time
/// and in the order asked (a deletion never overtakes the write before it); the supervisor pipes each
/// result back to itself as a message.
/// </summary>
internal sealed class AsyncCheckpointStore(ICheckpointStore store)
{
    // Exclusive: one job at a time, first in first out, on the thread pool (never the actor's thread).
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 1).ExclusiveScheduler;
    private Task _last = Task.CompletedTask;

    public Task<T> Run<T>(Func<ICheckpointStore, T> work)
    {
        var task = Task.Factory.StartNew(() => work(store), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler);
        _last = task;
        return task;
    }

    /// <summary>Completes once every job asked so far has run (whatever its outcome).</summary>
    public Task Drained() => _last.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}
