using System.CommandLine;

namespace Coordinator.Cli.History;

/// <summary><c>coordinator history RUN_DIR [--json] [--no-verify]</c>: a run's timeline from its journal.</summary>
public static class HistoryCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var runDir = new Argument<string>("RUN_DIR") { Description = "the run's folder (holds journal.db), e.g. runs/20260101-120000-ab12" };
        var json = new Option<bool>("--json")
        {
            Description = "print one JSON array of typed entries instead of text, for tools. Each entry has \"type\" " +
                          "(run_started, epoch, lr_changed, checkpoint_saved, checkpoint_deleted, training_stopped, " +
                          "best_weights_saved, best_weights_restored, resume_state_saved, resume_state_deleted, run_resumed, run_rewound, " +
                          "checkpoint_corrupted, run_completed, run_failed, or other for an event this version does not know), " +
                          "\"seq\" (journal sequence number), \"recorded_at\" and the event's fields in snake_case. Epochs count " +
                          "from 0 (as in the journal and the files); recorded files carry \"check\": ok, missing, altered, " +
                          "unreadable, deleted (by the run), replaced (written again later) or unchecked. NaN is written as null.",
        };
        var noVerify = new Option<bool>("--no-verify") { Description = "do not hash the recorded files (checkpoints, resume states, best weights, final model) to check them" };
        var all = new Option<bool>("--all")
        {
            Description = "text: also show the routine bookkeeping of every epoch (resume states saved and deleted, best weights saved); " +
                          "without it these are shown only when a file of theirs fails its check. --json always has every entry.",
        };

        var journal = JournalOption.Create(
            "a cluster run's journal: a PostgreSQL connection string (as the nodes' COORDINATOR_JOURNAL); without it, a cluster " +
            "run's folder names its database in journal.json (without the password: PGPASSWORD or ~/.pgpass supply it)");

        var command = new Command("history",
            "Show a run's timeline from its journal: start, epochs with their logs (from 1, as train prints them), rate changes, " +
            "checkpoints (marked [missing] or [altered] when the file no longer matches its recorded SHA-256), deletions, stop, " +
            "restored best weights, resumes, rewinds and the outcome.")
        {
            runDir, json, noVerify, all, journal,
        };
        command.SetAction(parse =>
            Run(parse.GetValue(runDir)!, parse.GetValue(json), !parse.GetValue(noVerify), parse.GetValue(all), stdout, stderr, parse.GetValue(journal)));
        return command;
    }

    public static int Run(string runDir, bool json, bool verify, bool all, TextWriter stdout, TextWriter stderr, string? journal = null)
    {
        RunHistory history;
        try
        {
            history = HistoryTimeline.Build(RunJournal.Read(runDir, JournalOption.Value(journal)), verify ? FileHashes.Check : null);
        }
        catch (HistoryInputError e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        if (json) stdout.WriteLine(HistoryJson.Serialize(history.Entries));
        else
            foreach (var line in HistoryText.Lines(history, all))
                stdout.WriteLine(line);
        return ExitCodes.Ok;
    }
}
