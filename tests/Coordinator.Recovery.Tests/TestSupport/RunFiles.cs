using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.TestSupport;

public static partial class RunFiles
{
    /// <summary>The epoch of a resume-state file (state/resume-eNNNN-wW.state) that the journal records as deleted, else null.</summary>
    public static int? DeletedResumeStateEpoch(string relativePath, IEnumerable<IRunEvent> events)
    {
        var match = ResumeState().Match(relativePath.Replace('\\', '/'));
        if (!match.Success) return null;
        var epoch = int.Parse(match.Groups[1].Value);
        // Deleted after its last save (a rewind can save an epoch again).
        var last = events.Select((e, i) => (e, i)).Where(x => x.e is ResumeStateSaved s && s.Epoch == epoch).Select(x => x.i).DefaultIfEmpty(-1).Max();
        return events.Skip(last + 1).OfType<ResumeStateDeleted>().Any(d => d.Epoch == epoch) ? epoch : null;
    }

    /// <summary>Whether the journal records this checkpoint (checkpoints/NAME) as deleted after it was last saved.</summary>
    public static bool IsDeletedCheckpoint(string relativePath, string runFolder, IEnumerable<IRunEvent> events)
    {
        var path = Path.Combine(runFolder, relativePath);
        var last = events.Select((e, i) => (e, i)).Where(x => x.e is CheckpointSaved s && Path.Combine(runFolder, s.Path) == path).Select(x => x.i).DefaultIfEmpty(-1).Max();
        return last >= 0 && events.Skip(last + 1).OfType<CheckpointDeleted>().Any(d => Path.Combine(runFolder, d.Path) == path);
    }

    /// <summary>
    /// A finished resumed run's checkpoints/ and state/ hold exactly the reference run's files, byte for byte;
    /// no file the journal records as deleted is left behind (the resumed run removes those a killed process left).
    /// </summary>
    public static void AssertSameFinalFiles(FinishedRun reference, FinishedRun finished, ITestOutputHelper output)
    {
        var expected = reference.FinalFiles();
        var actual = finished.FinalFiles();
        var leftovers = actual.Keys.Where(f => !expected.ContainsKey(f) &&
            (DeletedResumeStateEpoch(f, finished.Events) is not null || IsDeletedCheckpoint(f, finished.Folder, finished.Events))).ToList();
        Assert.True(leftovers.Count == 0, $"files recorded as deleted are still on disk: {string.Join(", ", leftovers)}");
        Assert.Equal(expected.OrderBy(f => f.Key), actual.OrderBy(f => f.Key));
    }

    [GeneratedRegex(@"^state/resume-e(\d+)-w\d+\.state$")]
    private static partial Regex ResumeState();
}
