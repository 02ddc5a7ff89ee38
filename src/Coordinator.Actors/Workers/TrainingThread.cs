using System.Collections.Concurrent;

namespace Coordinator.Actors.Workers;

/// <summary>
/// A dedicated thread that runs a worker's tensor work in order. TorchSharp's dispose scopes
/// are per thread, so the replica is created, used and disposed here and nowhere else.
/// </summary>
internal sealed class TrainingThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly Thread _thread;

    public TrainingThread(string name)
    {
        _thread = new Thread(Loop) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Cancelled when the worker stops; blocking waits on the thread observe it.</summary>
    public CancellationToken Stopping => _cancel.Token;

    public void Post(Action work) => _work.Add(work);

    private void Loop()
    {
        try
        {
            // Drains what was posted before Dispose (the replica's own disposal comes last);
            // cancelling only interrupts blocking waits inside the work.
            foreach (var work in _work.GetConsumingEnumerable()) work();
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _cancel.Cancel();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
        _cancel.Dispose();
    }
}
