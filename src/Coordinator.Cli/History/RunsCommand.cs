using System.CommandLine;
using Coordinator.Reporting;
using Spectre.Console;

namespace Coordinator.Cli.History;

/// <summary><c>coordinator runs [ROOT] [--json]</c>: the run folders under ROOT with their status.</summary>
public static class RunsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var root = new Argument<string>("ROOT")
        {
            Description = $"the folder holding run folders (default: {RunListings.DefaultRoot}); folders without a journal.db are skipped",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => RunListings.DefaultRoot,
        };
        var json = new Option<bool>("--json")
        {
            Description = "print one JSON array of runs instead of the table: run_id, folder, status, epochs_run, monitor, best, " +
                          "best_epoch (from 0), best_from (summary or events), last_activity, error",
        };

        var journal = JournalOption.Create(
            "the PostgreSQL journal (a connection string) of the cluster runs under ROOT, whose folders hold journal.json " +
            "instead of journal.db; without it, each journal.json's database is used (without the password: PGPASSWORD or ~/.pgpass supply it)");

        var command = new Command("runs",
            "List the runs under ROOT: id, status from the journal (completed, stopped, failed, or unfinished: no RunCompleted " +
            "or RunFailed yet, i.e. still running or ended early), epochs run, best monitored value (from summary.json, else " +
            "from the journal) and last activity (newest file in the folder), oldest activity first.")
        {
            root, json, journal,
        };
        command.SetAction(parse => Run(parse.GetValue(root) ?? RunListings.DefaultRoot, parse.GetValue(json), stdout, stderr, parse.GetValue(journal)));
        return command;
    }

    public static int Run(string root, bool json, TextWriter stdout, TextWriter stderr, string? journal = null)
    {
        IReadOnlyList<RunListing> runs;
        try
        {
            var cluster = JournalOption.Value(journal);
            // --journal is for the cluster runs: a folder with its own journal.db is read from that.
            runs = RunListings.List(root, cluster is null ? null
                : folder => RunJournal.Read(folder, File.Exists(Path.Combine(folder, RunJournal.JournalFile)) ? null : cluster));
        }
        catch (HistoryInputError e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        foreach (var unreadable in runs.Where(r => r.Error is not null))
            stderr.WriteLine($"warning: {unreadable.Error}");

        if (json)
            stdout.WriteLine(HistoryJson.Serialize(runs));
        else if (runs.Count == 0)
            stdout.WriteLine($"no runs in {root}");
        else if (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && ConsoleProgress.IsInteractive(AnsiConsole.Console))
            AnsiConsole.Write(RunsText.SpectreTable(runs));
        else
            foreach (var line in RunsText.Lines(runs))
                stdout.WriteLine(line);
        return ExitCodes.Ok;
    }
}
