using Coordinator.Actors.TestSupport;
using Coordinator.Configuration;

namespace Coordinator.Cli.Tests;

/// <summary><c>reporting.tensorboard.update-freq</c>: what it accepts, and bad values refused before anything runs.</summary>
public sealed class ReportingSettingsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static RunConfig Parse(string reporting) => RunConfigReader.Parse(TestFiles.DigitsConfText() + "\n" + reporting + "\n", "/");

    [Theory]
    [InlineData("", null)]
    [InlineData("reporting { tensorboard { update-freq = epoch } }", null)]
    [InlineData("reporting { tensorboard { update-freq = batch } }", 1)]
    [InlineData("reporting { tensorboard { update-freq = 25 } }", 25)]
    [InlineData("reporting.tensorboard.update_freq = 3", 3)]
    public void Update_freq_is_epoch_batch_or_every_N_batches(string reporting, int? expected)
    {
        Assert.Equal(expected, Parse(reporting).Settings.Reporting.TensorBoardUpdateFreq);
    }

    [Theory]
    [InlineData("reporting { tensorboard { update-freq = 0 } }", "reporting.tensorboard.update-freq = 0")]
    [InlineData("reporting { tensorboard { update-freq = -5 } }", "reporting.tensorboard.update-freq = -5")]
    [InlineData("reporting { tensorboard { update-freq = often } }", "reporting.tensorboard.update-freq = often")]
    [InlineData("reporting { tensorboard { update-frequency = 5 } }", "reporting.tensorboard.update-frequency = 5")]
    [InlineData("reporting { csv = yes }", "reporting.csv = yes")]
    public void A_bad_value_exits_2_naming_the_field_and_value_and_creates_no_run_folder(string reporting, string mention)
    {
        var conf = _temp.File("run.conf", TestFiles.DigitsConfText() + "\n" + reporting + "\n");
        var runDir = _temp.Combine("run");

        var result = Cli.Run("train", "--config", conf, "--run-dir", runDir);

        Assert.Equal(ExitCodes.BadInput, result.Exit);
        Assert.StartsWith("error: ", result.Err);
        Assert.Contains(mention, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.False(Directory.Exists(runDir));
    }
}
