using Akka.TestKit;

namespace Coordinator.Testing.Simulation;

/// <summary>
/// The scenario's virtual time: the TestKit's scheduler, which moves only when the scenario runner
/// advances it. Workers read the time from here (an atomic read, while the runner may be advancing).
/// </summary>
internal sealed class VirtualClock(TestScheduler scheduler)
{
    private readonly DateTimeOffset _start = scheduler.Now;
    private long _ticks;

    /// <summary>Virtual time since the scenario began.</summary>
    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>Moves virtual time to <paramref name="due"/> (if later), delivering everything scheduled until then.</summary>
    public void AdvanceTo(TimeSpan due)
    {
        if (due <= Now) return;
        Interlocked.Exchange(ref _ticks, due.Ticks);
        scheduler.AdvanceTo(_start + due);
    }
}
