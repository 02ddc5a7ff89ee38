namespace Coordinator.Actors.Journal;

/// <summary>One stored event as its journal hands it back: its sequence number, when the journal stored it (UTC;
/// null when the journal keeps no usable time) and the payload as the bound serializer decoded it.</summary>
public sealed record JournalRecord(long SequenceNr, DateTimeOffset? StoredAt, object Payload);
