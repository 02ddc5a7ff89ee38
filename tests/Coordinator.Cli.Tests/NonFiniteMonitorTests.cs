using System.Text.RegularExpressions;
using Coordinator.Actors.TestSupport;
using Coordinator.Cli.Hosting;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Coordinator.Testing.Persistence;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>
/// A monitored value that is not finite is said on the console: Keras 3 takes a first NaN as the
/// best and nothing improves on it afterwards, which surprises users when it happens silently.
/// </summary>
public sealed class NonFiniteMonitorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_diverging_run_prints_a_warning_for_its_non_finite_val_loss()
    {
        // A rate of 1e12 makes the weights overflow in the first epoch: val_loss is NaN or inf.
        var conf = _temp.File("diverge.conf", TestFiles.DigitsConfText(t =>
        {
            t = TestFiles.ReplaceOnce(t, "learning-rate = 0.05", "learning-rate = 1e12");
            var from = t.IndexOf("callbacks = [", StringComparison.Ordinal);
            return t[..from] + "callbacks = [ { type = early-stopping, monitor = val_loss, patience = 1 } ]\n";
        }));
        var folder = _temp.Combine("run");
        var result = Cli.Run("train", "--config", conf, "--run-dir", folder, "--epochs", "2");
        output.WriteLine(result.Out);
        Assert.True(result.Exit == ExitCodes.Ok, $"exit {result.Exit}\n{result.Err}");

        var warnings = result.Out.Split('\n').Where(l => l.StartsWith("warning: early-stopping: val_loss = ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(warnings);
        Assert.Matches(new Regex(@"^warning: early-stopping: val_loss = (nan|inf) at epoch 1 is not finite: early-stopping took it as its best value"), warnings[0]);
        Assert.True(warnings.Count <= 2, "one warning per epoch");

        // And the journal keeps what the console said, with its epoch.
        var summary = SummaryJson.Read(folder);
        var events = JournalEvents.Read(AkkaConfig.ForSqlite(Path.Combine(folder, "journal.db"), null), $"run-{summary.RunId}");
        var warned = events.OfType<CallbackWarned>().ToList();
        Assert.Equal(warnings, warned.Select(w => $"warning: {w.Source}: {w.Message}"));
        Assert.Equal(0, warned[0].Epoch);
    }
}
