using System.Threading.Channels;
using Coordinator.Core.Reporting;
using Spectre.Console;

namespace Coordinator.Reporting;

/// <summary>
/// Progress for an interactive terminal: a Spectre.Console progress bar over the current epoch's
/// batches, with the epoch lines and messages printed above it. Spectre's live display runs on a
/// task of its own; the calls (from any thread) only post to a channel that task reads, and
/// batch updates are coalesced so a fast loop never queues them up. If the live display fails
/// (another one is active, the terminal went away), the lines are still printed.
/// </summary>
public sealed class LiveConsoleProgress : ITrainingProgress
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IAnsiConsole _console;
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _batchLock = new();
    private readonly Task _display;
    private (int Epoch, int Step, double Loss)? _pendingBatch;
    private int _epoch;
    private int _finished;

    public LiveConsoleProgress(IAnsiConsole console)
    {
        _console = console ?? throw new ArgumentNullException(nameof(console));
        _display = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public void EpochStarted(int epoch, int totalEpochs, int steps, double lr)
    {
        lock (_batchLock) (_pendingBatch, _epoch) = (null, epoch);
        Post(new Event.Started(epoch, totalEpochs, steps, lr));
    }

    public void BatchCompleted(int step, double runningLoss)
    {
        bool signal;
        lock (_batchLock)
        {
            signal = _pendingBatch is null;
            _pendingBatch = (_epoch, step, runningLoss);
        }
        if (signal) Post(new Event.Batch());
    }

    public void EpochCompleted(string line) => Post(new Event.Line(line, EndsEpoch: true));

    public void Message(string message) => Post(new Event.Line(message, EndsEpoch: false));

    public void Finished(RunSummary summary, string runFolder, string? finalModelPath)
    {
        var lines = SummaryBlock.Lines(summary, runFolder, finalModelPath);
        Stop();
        WriteLines(lines);
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1) return;
        _events.Writer.TryComplete();
        try { _display.Wait(StopTimeout); }
        catch (AggregateException) { } // Run handles its own failures; nothing useful to add here
    }

    private void Post(Event e)
    {
        if (!_events.Writer.TryWrite(e) && e is Event.Line line)
            WriteLines([line.Text]); // after Finished/Dispose: print directly
    }

    private async Task Run()
    {
        try
        {
            await _console.Progress()
                .AutoClear(true)
                .HideCompleted(true)
                .Columns(
                    new TaskDescriptionColumn { Alignment = Justify.Left },
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new ElapsedTimeColumn(),
                    new SpinnerColumn())
                .StartAsync(ReadEvents)
                .ConfigureAwait(false);
        }
        catch (Exception)
        {
            // No live display after all: keep the lines coming, without the bar.
            await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
                if (e is Event.Line line) WriteLines([line.Text]);
        }
    }

    private async Task ReadEvents(ProgressContext context)
    {
        var current = default(EpochView);
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            switch (e)
            {
                case Event.Started s:
                    Finish(context, current);
                    current = new EpochView(
                        context.AddTask(Markup.Escape($"Epoch {s.Epoch + 1}/{s.TotalEpochs}"), autoStart: true, maxValue: Math.Max(1, s.Steps)),
                        s.Epoch, s.TotalEpochs, s.Steps);
                    ShowPendingBatch(current);
                    break;
                case Event.Batch:
                    ShowPendingBatch(current);
                    break;
                case Event.Line l:
                    if (l.EndsEpoch)
                    {
                        Finish(context, current);
                        current = null;
                    }
                    WriteLines([l.Text]);
                    break;
            }
            context.Refresh();
        }
        Finish(context, current);
    }

    // The latest batch, if it belongs to the epoch on show; a batch of the next epoch stays pending
    // until that epoch's Started event has been read.
    private void ShowPendingBatch(EpochView? view)
    {
        if (view is null) return;
        (int Epoch, int Step, double Loss) batch;
        lock (_batchLock)
        {
            if (_pendingBatch is not { } pending || pending.Epoch != view.Epoch) return;
            batch = pending;
            _pendingBatch = null;
        }
        view.Task.Value = Math.Min(batch.Step, view.Task.MaxValue);
        view.Task.Description = Markup.Escape(
            $"Epoch {view.Epoch + 1}/{view.TotalEpochs}  {batch.Step}/{view.Steps}  loss {NumberText.Metric(batch.Loss)}");
    }

    private static void Finish(ProgressContext context, EpochView? view)
    {
        if (view is null) return;
        view.Task.Value = view.Task.MaxValue;
        view.Task.StopTask();
        context.RemoveTask(view.Task);
    }

    private void WriteLines(IEnumerable<string> lines)
    {
        try
        {
            foreach (var line in lines) _console.WriteLine(line);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    private sealed record EpochView(ProgressTask Task, int Epoch, int TotalEpochs, int Steps);

    private abstract record Event
    {
        public sealed record Started(int Epoch, int TotalEpochs, int Steps, double Lr) : Event;
        public sealed record Batch : Event;
        public sealed record Line(string Text, bool EndsEpoch) : Event;
    }
}
