using Coordinator.Actors.State;

namespace Coordinator.Actors.Tests;

/// <summary>Paths as events record them: relative inside the run folder, absolute outside, older absolute ones rebased.</summary>
public sealed class RunPathsTests
{
    private static readonly RunPaths Paths = new("/data/runs/copy-of-a", "a");

    [Fact]
    public void Files_inside_the_run_folder_are_recorded_relative_and_resolve_back()
    {
        Assert.Equal("state/resume-e0003-w0.state", Paths.Record("/data/runs/copy-of-a/state/resume-e0003-w0.state"));
        Assert.Equal("/data/runs/copy-of-a/state/resume-e0003-w0.state", Paths.Resolve("state/resume-e0003-w0.state"));
        Assert.Equal("/tmp/ckpt.weights", Paths.Record("/tmp/ckpt.weights"));
    }

    [Fact]
    public void An_absolute_path_of_an_older_journal_is_read_in_this_folder_when_it_lay_in_the_run_folder_of_then()
    {
        // Written when the run's folder was /old/runs/a (its id was the folder's name).
        Assert.Equal("/data/runs/copy-of-a/state/resume-e0003-w0.state", Paths.Resolve("/old/runs/a/state/resume-e0003-w0.state"));
        Assert.Equal("/data/runs/copy-of-a/checkpoints/ckpt-01.weights", Paths.Resolve("/old/runs/a/checkpoints/ckpt-01.weights"));
        // A file the user placed elsewhere stays where it is.
        Assert.Equal("/tmp/keras/ckpt.weights", Paths.Resolve("/tmp/keras/ckpt.weights"));
        Assert.True(Paths.IsUserPlaced("/tmp/keras/ckpt.weights"));
        Assert.False(Paths.IsUserPlaced("/old/runs/a/state/resume-e0003-w0.state"));
    }

    [Theory]
    [InlineData("ckpt-01.weights", "/data/runs/copy-of-a/checkpoints/ckpt-01.weights")]
    [InlineData("sub/ckpt.weights", "/data/runs/copy-of-a/checkpoints/sub/ckpt.weights")]
    [InlineData("../mine.weights", "/data/runs/copy-of-a/mine.weights")]
    [InlineData("/tmp/checkpoint", "/tmp/checkpoint")]
    public void Checkpoint_names_that_are_allowed(string name, string expected) =>
        Assert.Equal((expected, (string?)null), Paths.CheckpointTarget(name));

    [Theory]
    [InlineData("../journal.db", "journal.db")]
    [InlineData("../journal.db-wal", "journal.db-wal")]
    [InlineData("../run.conf", "run.conf")]
    [InlineData("../summary.json", "summary.json")]
    [InlineData("../final.weights", "final.weights")]
    [InlineData("../state/resume-e0001-w0.state", "state/resume-e0001-w0.state")]
    [InlineData("/data/runs/copy-of-a/final.weights", "final.weights")]
    [InlineData("../../x/1.w", "outside the run folder")]
    [InlineData("../../copy-of-a-sibling/1.w", "outside the run folder")]
    [InlineData("..", "the run folder itself")]
    [InlineData("sub/", "names a folder")]
    public void Checkpoint_names_that_are_refused_say_why(string name, string mention)
    {
        var (path, problem) = Paths.CheckpointTarget(name);
        Assert.Null(path);
        Assert.Contains(mention, problem);
    }
}
