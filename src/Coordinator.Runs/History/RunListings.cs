using System.Text.Json;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// One line of <c>coordinator runs</c>: a run folder's id, status (from the journal), epochs run,
/// best monitored value (<see cref="BestFrom"/>: "summary" when taken from summary.json, "events"
/// when computed from the journal as summary.json would be), and last activity (newest
/// modification time of a file in the folder). <see cref="BestEpoch"/> counts from 0.
/// </summary>
public sealed record RunListing(
    string RunId, string Folder, RunStatus Status, int EpochsRun, string? Monitor, double? Best, int? BestEpoch,
    string? BestFrom, DateTimeOffset LastActivity, string? Error = null);

/// <summary>Finds the run folders under a root and describes each.</summary>
public static class RunListings
{
    public const string DefaultRoot = "runs";

    /// <summary>The run folders directly under <paramref name="root"/> (folders holding a journal),
    /// or <paramref name="root"/> itself when it is one; throws <see cref="HistoryInputError"/> when
    /// the root is missing.</summary>
    public static IReadOnlyList<string> Find(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
            throw new HistoryInputError(File.Exists(full) ? $"{root}: is a file, not a folder of runs" : $"{root}: no such folder");
        var runs = Directory.EnumerateDirectories(full).Where(RunJournal.IsRunFolder).ToList();
        if (runs.Count == 0 && RunJournal.IsRunFolder(full)) runs.Add(full);
        return runs;
    }

    /// <summary>Every run under <paramref name="root"/>, oldest activity first. Journals are read a
    /// few at a time (each read starts its own ActorSystem on that journal).</summary>
    public static IReadOnlyList<RunListing> List(string root, Func<string, RunJournalContents>? read = null) =>
        Find(root)
            .AsParallel().WithDegreeOfParallelism(Math.Clamp(Environment.ProcessorCount, 1, 4))
            .Select(f => Describe(f, read))
            .ToList()
            .OrderBy(r => r.LastActivity).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();

    /// <summary>One run folder; a journal that cannot be read gives status "unreadable" and the error.</summary>
    public static RunListing Describe(string runFolder, Func<string, RunJournalContents>? read = null)
    {
        var folder = Path.GetFullPath(runFolder);
        var lastActivity = LastActivity(folder);
        RunJournalContents journal;
        try
        {
            journal = read is null ? RunJournal.Read(folder) : read(folder);
        }
        catch (HistoryInputError e)
        {
            return new RunListing(RunJournal.RunIdOf(folder), folder, RunStatus.Unreadable, 0, null, null, null, null, lastActivity, e.Message);
        }
        return Describe(folder, journal.Events, lastActivity);
    }

    /// <summary>The listing from the events, with the best value from summary.json when the run has
    /// finished and the file reads (a summary written before a resume would be stale), else from the events.</summary>
    public static RunListing Describe(string folder, IReadOnlyList<IRunEvent> events, DateTimeOffset lastActivity)
    {
        var state = RunStatusFold.State(events);
        var status = RunStatusFold.Status(state);
        var runId = state.Started?.RunId ?? RunJournal.RunIdOf(folder);
        var listing = new RunListing(runId, folder, status, state.Epochs.Count, null, null, null, null, lastActivity);

        if (state.Finished && SummaryBest(folder) is { } fromSummary) return listing with
        {
            Monitor = fromSummary.Monitor, Best = fromSummary.Best, BestEpoch = fromSummary.BestEpoch, BestFrom = "summary",
        };
        if (EventsBest(folder, state) is { } fromEvents) return listing with
        {
            Monitor = fromEvents.Monitor, Best = fromEvents.Best, BestEpoch = fromEvents.BestEpoch, BestFrom = "events",
        };
        return listing;
    }

    private static (string? Monitor, double? Best, int? BestEpoch)? SummaryBest(string folder)
    {
        var path = Path.Combine(folder, SummaryJson.FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var summary = SummaryJson.Read(path);
            return (summary.Monitor, summary.Best, summary.BestEpoch);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>As the supervisor builds summary.json (<see cref="RunSummaries.From"/>), with the
    /// monitor taken from the run's copy of its configuration (run.conf) when it reads.</summary>
    private static (string? Monitor, double? Best, int? BestEpoch)? EventsBest(string folder, RunState state)
    {
        if (state.Epochs.Count == 0) return null;
        try
        {
            var started = state.Started;
            var settings = new SupervisorSettings(
                started?.RunId ?? RunJournal.RunIdOf(folder), folder, started?.Workers ?? 0, started?.Epochs ?? 0, 0,
                Callbacks(folder), started?.InitialLearningRate ?? 0, started?.Sync ?? "", started?.Seed ?? 0,
                started?.ConfigSha256 ?? "", TimeSpan.Zero);
            var summary = RunSummaries.From(state, settings);
            return (summary.Monitor, summary.Best, summary.BestEpoch);
        }
        catch (Exception e) when (e is CallbackConfigurationException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IReadOnlyList<CallbackSettings> Callbacks(string folder)
    {
        var conf = Path.Combine(folder, RunPaths.ConfigFile);
        if (!File.Exists(conf)) return [];
        try
        {
            return CallbackConfigReader.ReadFile(conf);
        }
        catch (Exception e) when (e is ConfigurationError or CallbackConfigurationException or IOException)
        {
            return [];
        }
    }

    /// <summary>The newest modification time of the journal or any file in the run folder.</summary>
    public static DateTimeOffset LastActivity(string folder)
    {
        var newest = File.GetLastWriteTimeUtc(Path.Combine(folder, RunJournal.JournalFile));
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
                if (file.LastWriteTimeUtc > newest) newest = file.LastWriteTimeUtc;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return new DateTimeOffset(DateTime.SpecifyKind(newest, DateTimeKind.Utc));
    }
}
