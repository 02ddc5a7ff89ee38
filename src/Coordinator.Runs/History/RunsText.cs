using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Spectre.Console;

namespace Coordinator.Cli.History;

/// <summary>The table of <c>coordinator runs</c> (pure): plain aligned columns, or a Spectre.Console
/// table for an interactive terminal. Best epochs are shown from 1.</summary>
public static class RunsText
{
    public static readonly IReadOnlyList<string> Header = ["RUN", "STATUS", "EPOCHS", "BEST", "LAST ACTIVITY"];

    /// <summary>The cells of one run's row.</summary>
    public static IReadOnlyList<string> Cells(RunListing run) =>
    [
        run.RunId,
        run.Status.Name(),
        NumberText.Integer(run.EpochsRun),
        Best(run),
        NumberText.Instant(run.LastActivity),
    ];

    /// <summary><c>val_loss 0.1295 (epoch 11)</c>, or "-" when there is none.</summary>
    public static string Best(RunListing run)
    {
        if (run.Best is not { } best || string.IsNullOrEmpty(run.Monitor)) return "-";
        var text = $"{run.Monitor} {NumberText.Metric(best)}";
        return run.BestEpoch is { } epoch ? $"{text} (epoch {epoch + 1})" : text;
    }

    /// <summary>Header and rows, columns left-aligned and two spaces apart (EPOCHS right-aligned).</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<RunListing> runs)
    {
        var rows = new List<IReadOnlyList<string>> { Header };
        rows.AddRange(runs.Select(Cells));
        var widths = Enumerable.Range(0, Header.Count).Select(c => rows.Max(r => r[c].Length)).ToArray();
        return rows.Select(r => string.Join("  ", r.Select((cell, c) =>
            c == 2 ? cell.PadLeft(widths[c]) : c == r.Count - 1 ? cell : cell.PadRight(widths[c])))).ToList();
    }

    public static Table SpectreTable(IReadOnlyList<RunListing> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        foreach (var (title, c) in Header.Select((h, c) => (h, c)))
            table.AddColumn(c == 2 ? new TableColumn(title).RightAligned().NoWrap() : new TableColumn(title).NoWrap());
        foreach (var run in runs)
        {
            var cells = Cells(run).Select(Markup.Escape).ToArray();
            cells[1] = run.Status switch
            {
                RunStatus.Completed => $"[green]{cells[1]}[/]",
                RunStatus.Stopped => $"[yellow]{cells[1]}[/]",
                RunStatus.Failed or RunStatus.Unreadable => $"[red]{cells[1]}[/]",
                _ => cells[1],
            };
            table.AddRow(cells);
        }
        return table;
    }
}
