using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Coordinator.Testing.Persistence;

/// <summary>
/// The scenarios' journal: Akka's in-memory journal, except that every event crosses the serializer on
/// its way in (as it would into a real journal: an event that does not serialize is rejected), and that
/// writes fail on demand (<see cref="JournalFaults"/>), which the supervisor sees as OnPersistFailure.
/// (Akka.Persistence.TestKit's TestJournal is steered by messages that carry delegates, which cannot
/// cross the serializer that scenarios run every message through.)
/// </summary>
public sealed class ScenarioJournal : MemoryJournal
{
    private readonly JournalFaults _faults = JournalFaults.For(Context.System);
    private readonly Akka.Serialization.Serialization _serialization = Context.System.Serialization;

    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var results = new List<Exception?>();
        foreach (var write in messages)
        {
            var events = (IImmutableList<IPersistentRepresentation>)write.Payload;
            if (events.Any(e => _faults.Fails(e.PersistenceId, e.Payload)))
                return Task.FromException<IImmutableList<Exception?>>(new IOException("simulated journal failure: the journal cannot be written"));
            try
            {
                var copies = events.Select(e => e.WithPayload(RoundTrip(e.Payload))).ToList();
                foreach (var copy in copies) Add(copy);
                results.Add(null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results.Add(e); // rejected: nothing of this write is stored
            }
        }
        return Task.FromResult<IImmutableList<Exception?>>(results.ToImmutableList());
    }

    private object RoundTrip(object payload)
    {
        var serializer = _serialization.FindSerializerFor(payload);
        var bytes = serializer.ToBinary(payload);
        return _serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, payload));
    }
}
