using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// One event of a run's journal in the order it was persisted: its sequence number, when the
/// journal stored it (UTC; null if the journal has no usable time), the manifest it was stored under
/// (empty if unknown), the stored JSON (empty if unknown), and the event itself — an
/// <see cref="UnrecognizedEvent"/> when this build cannot decode it.
/// </summary>
public sealed record JournalEntry(long SequenceNr, DateTimeOffset? RecordedAt, string Manifest, string Json, IRunEvent Event)
{
    /// <summary>An entry for an event built in memory (tests, tools): no stored JSON.</summary>
    public static JournalEntry Of(long sequenceNr, IRunEvent e, DateTimeOffset? recordedAt = null) =>
        new(sequenceNr, recordedAt, "", "", e);
}

/// <summary>A run's journal as read: the persistence id the events were found under, and the events.</summary>
public sealed record RunJournalContents(string RunFolder, string PersistenceId, IReadOnlyList<JournalEntry> Entries)
{
    public IReadOnlyList<IRunEvent> Events => Entries.Select(e => e.Event).ToList();
}
