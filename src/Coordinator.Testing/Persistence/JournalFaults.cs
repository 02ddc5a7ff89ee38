using Akka.Actor;

namespace Coordinator.Testing.Persistence;

/// <summary>
/// The journal faults of one scenario's actor system (an Akka extension, so the journal, an actor the
/// persistence plugin creates, can find them): once a write matches <see cref="FailFrom"/>, every write
/// of that persistence id fails, until <see cref="Clear"/> — as a journal whose disk or database went away.
/// </summary>
internal sealed class JournalFaults : IExtension
{
    private readonly object _gate = new();
    private Func<string, object, bool>? _start;
    private readonly HashSet<string> _down = [];

    /// <summary>Writes fail from the first one for which <paramref name="start"/> (persistence id, event) holds.</summary>
    public void FailFrom(Func<string, object, bool> start)
    {
        lock (_gate) _start = start;
    }

    /// <summary>Whether a write has failed since the faults were set or cleared.</summary>
    public bool Tripped
    {
        get
        {
            lock (_gate) return _down.Count > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _start = null;
            _down.Clear();
        }
    }

    /// <summary>Whether this write fails (and every later one of its persistence id, until cleared).</summary>
    public bool Fails(string persistenceId, object payload)
    {
        lock (_gate)
        {
            if (_down.Contains(persistenceId)) return true;
            if (_start is null || !_start(persistenceId, payload)) return false;
            _down.Add(persistenceId);
            return true;
        }
    }

    public static JournalFaults For(ActorSystem system) => system.WithExtension<JournalFaults, Provider>();

    private sealed class Provider : ExtensionIdProvider<JournalFaults>
    {
        public override JournalFaults CreateExtension(ExtendedActorSystem system) => new();
    }
}
