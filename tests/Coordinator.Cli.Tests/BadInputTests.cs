using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Xunit.Abstractions;

namespace Coordinator.Cli.Tests;

/// <summary>
/// Bad input to <c>train</c>: exit code 2, one message on stderr naming the field and the value,
/// and nothing created: neither the requested --run-dir nor a default runs/&lt;id&gt;/ folder.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A bad case: the conf file (digits.conf with an edit), extra arguments, and what stderr must mention.</summary>
    private sealed record Case(Func<TempFolder, string> Conf, string[] Args, string[] ErrorMentions);

    private static Func<TempFolder, string> Conf(Func<string, string>? edit = null) =>
        temp => temp.File("conf/run.conf", TestFiles.DigitsConfText(edit));

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["unknown model key"] = new(Conf(t => t + "\nmodel { hiden = [64] }\n"), [], ["model.hiden"]),
        ["unknown training key"] = new(Conf(t => t + "\ntraining { epoch = 5 }\n"), [], ["training.epoch = 5"]),
        ["batch-size 0"] = new(Conf(t => TestFiles.ReplaceOnce(t, "batch-size = 16", "batch-size = 0")), [], ["training.batch-size = 0"]),
        // mode = auto and a name of unknown direction: the callback's own check answers first.
        ["monitor not in the logs, mode auto"] = new(Conf(t => TestFiles.ReplaceOnce(t, "monitor = val_loss", "monitor = val_f1")), [],
            ["callbacks[0].monitor = val_f1"]),
        ["monitor not in the logs, mode min"] = new(Conf(t => TestFiles.ReplaceOnce(t, "monitor = val_loss,", "monitor = val_f1, mode = min,")), [],
            ["callbacks[0].monitor = val_f1"]),
        ["a Keras metric the run does not log"] = new(Conf(t => TestFiles.ReplaceOnce(t, "type = early-stopping, monitor = val_loss", "type = early-stopping, monitor = val_f1_score")), [],
            ["callbacks[1].monitor = val_f1_score"]),
        ["checkpoint file name field not in the logs"] = new(Conf(t => TestFiles.ReplaceOnce(t, "{val_loss:.4f}", "{val_f1:.4f}")), [],
            ["callbacks[2].filepath", "{val_f1}"]),
        ["min-delta NaN"] = new(Conf(t => TestFiles.ReplaceOnce(t, "patience = 8,", "patience = 8, min-delta = NaN,")), [],
            ["early-stopping: min-delta = NaN", "finite"]),
        // Accepted by the configuration reader, refused later by TorchReplicaFactory (see the report).
        ["sgd momentum 1.5"] = new(Conf(t => TestFiles.ReplaceOnce(t, "momentum = 0.9", "momentum = 1.5")), [], ["optimizer.momentum = 1.5"]),
        ["nesterov without momentum"] = new(Conf(t => TestFiles.ReplaceOnce(t, "momentum = 0.9", "momentum = 0\n  nesterov = true")), [], ["optimizer.nesterov"]),
        ["adam beta-1 = 1"] = new(Conf(t => TestFiles.ReplaceOnce(TestFiles.ReplaceOnce(t, "type = sgd", "type = adam"), "momentum = 0.9", "beta-1 = 1")), [],
            ["optimizer.beta-1 = 1"]),
        ["--workers 0"] = new(Conf(), ["--workers", "0"], ["--workers = 0"]),
        ["--workers above the training samples"] = new(Conf(), ["--workers", "5000"], ["workers = 5000", "1438"]),
        ["--epochs 0"] = new(Conf(), ["--epochs", "0"], ["--epochs = 0"]),
        ["missing config file"] = new(temp => temp.Combine("conf", "nowhere.conf"), [], ["--config", "nowhere.conf", "not found"]),
        // Checkpoint paths: a relative one stays in the run folder, none names a file the run owns.
        ["checkpoint over the run's journal"] = new(Checkpoint("../journal.db"), [], ["callbacks[2].filepath", "journal.db", "the run itself owns"]),
        ["checkpoint over a resume state"] = new(Checkpoint("../state/resume-e{epoch:04d}-w0.state"), [], ["callbacks[2].filepath", "state/resume-e0001-w0.state", "owns"]),
        ["checkpoint outside the run folder"] = new(Checkpoint("../../x/{epoch}.w"), [], ["callbacks[2].filepath", "outside the run folder"]),
        ["checkpoint naming a folder"] = new(Checkpoint("sub/"), [], ["callbacks[2].filepath", "names a folder"]),
        ["save-last over the final weights"] = new(Conf(t => TestFiles.ReplaceOnce(t, "save-top-k = 3", "save-top-k = 3, save-last = true, last-filepath = \"../final.weights\"")), [],
            ["callbacks[2].last-filepath", "final.weights", "owns"]),
        ["absolute checkpoint under a file"] = new(temp => temp.File("conf/run.conf", TestFiles.DigitsConfText(t =>
            TestFiles.ReplaceOnce(t, "\"ckpt-{epoch:02d}-{val_loss:.4f}.weights\"", $"\"{temp.File("a-file", "x")}/ckpt.weights\""))), [],
            ["callbacks[2].filepath", "is a file, not a folder"]),
        // Issue #15: each of these gave a stack trace, named the wrong field, or was accepted.
        ["global batch overflows"] = new(Conf(t => TestFiles.ReplaceOnce(t, "batch-size = 16", "batch-size = 2000000000")), [],
            ["training.batch-size = 2000000000", "2147483647"]),
        ["checkpoint filepath not a Python format"] = new(Conf(t => TestFiles.ReplaceOnce(t, "ckpt-{epoch:02d}-{val_loss:.4f}.weights", "ck-{epoch.w")), [],
            ["callbacks[2].filepath", "ck-{epoch.w", "Single '{'"]),
        ["akka loglevel unknown"] = new(Conf(t => t + "\nakka { loglevel = LOUD }\n"), [], ["akka.loglevel = LOUD", "DEBUG, INFO, WARNING, ERROR"]),
        ["an unclosed brace at the end"] = new(Conf(t => t + "\nmodel {\n"), [], ["run.conf: line", "'{' opened on line", "never closed"]),
        ["epochs beyond a whole number's range"] = new(Conf(t => TestFiles.ReplaceOnce(t, "epochs = 80", "epochs = 99999999999")), [],
            ["training.epochs = 99999999999", "2147483647"]),
        ["a rate infinite as a float32"] = new(Conf(t => TestFiles.ReplaceOnce(t, "learning-rate = 0.05", "learning-rate = 1e300")), [],
            ["optimizer.learning-rate = 1E+300", "float32"]),
        ["a missing include"] = new(Conf(t => "include \"nothere.conf\"\n" + t), [], ["include \"nothere.conf\"", "not supported"]),
        ["an empty csv separator"] = new(Conf(t => TestFiles.ReplaceOnce(t, "{ type = terminate-on-nan }", "{ type = csv-logger, filename = h.csv, separator = \"\" }")), [],
            ["separator", "single character"]),
        ["csv-logger over the run's run.conf"] = new(Conf(t => TestFiles.ReplaceOnce(t, "{ type = terminate-on-nan }", "{ type = csv-logger, filename = run.conf }")), [],
            ["].filename", "run.conf", "the run itself owns"]),
        ["csv-logger outside the run folder"] = new(Conf(t => TestFiles.ReplaceOnce(t, "{ type = terminate-on-nan }", "{ type = csv-logger, filename = \"../x.csv\" }")), [],
            ["].filename", "outside the run folder"]),
        ["csv-logger in the checkpoints folder"] = new(Conf(t => TestFiles.ReplaceOnce(t, "{ type = terminate-on-nan }", "{ type = csv-logger, filename = \"checkpoints/log.csv\" }")), [],
            ["].filename", "ModelCheckpoint's folder"]),
        ["a split that leaves no training samples"] = new(Conf(t => TestFiles.ReplaceOnce(t, "validation-split = 0.2", "validation-split = 0.9999")), [],
            ["data.validation-split = 0.9999", "no training samples", "1797 rows"]),
        ["a one-row data file"] = new(Data("1,2,0\n"), [], ["d.csv", "1 data row"]),
        ["labels all one class"] = new(Data("1,2,3\n3,4,3\n5,6,3\n"), [], ["d.csv", "every label (column 3) is 3"]),
        ["a label far beyond the others"] = new(Data("1,2,0\n3,4,1\n5,6,5000\n7,8,1\n"), [], ["d.csv", "line 3", "'5000'", "no row"]),
        ["a model too large for its parameter array"] = new(Conf(t => TestFiles.ReplaceOnce(t, "hidden = [128]", "hidden = [2000000000]")), [],
            ["model.hidden = [2000000000]", "parameters"]),
        ["--epochs abc"] = new(Conf(), ["--epochs", "abc"], ["--epochs: 'abc' is not a whole number"]),
        ["--epochs beyond int"] = new(Conf(), ["--epochs", "99999999999"], ["--epochs: '99999999999'", "2147483647"]),
        ["an unknown flag"] = new(Conf(), ["--bogus"], ["'--bogus' is not an option of coordinator train", "--config"]),
        ["a flag without its value"] = new(Conf(), ["--epochs"], ["--epochs needs a value: a whole number"]),
        ["--set with a bad value"] = new(Conf(), ["--set", "training.epochs=abc"], ["--set training.epochs=abc: training.epochs = abc: must be a whole number"]),
        ["--set with an unknown key"] = new(Conf(), ["--set", "training.epohcs=3"], ["--set training.epohcs=3: training.epohcs = 3: unknown setting"]),
        ["--set without a key"] = new(Conf(), ["--set", "epochs"], ["--set = 'epochs'", "key=value"]),
    };

    /// <summary>digits.conf reading <paramref name="csv"/> (written as data/d.csv) instead of the digits.</summary>
    private static Func<TempFolder, string> Data(string csv) => temp =>
    {
        var data = temp.File("data/d.csv", csv);
        return temp.File("conf/run.conf", TestFiles.DigitsConfText(t =>
            TestFiles.ReplaceOnce(t, "\"" + TestFiles.DigitsData + "\"", "\"" + data + "\"")));
    };

    private static Func<TempFolder, string> Checkpoint(string filepath) =>
        Conf(t => TestFiles.ReplaceOnce(t, "\"ckpt-{epoch:02d}-{val_loss:.4f}.weights\"", $"\"{filepath}\""));

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_input_exits_2_names_the_field_and_value_and_creates_no_run_folder(string name)
    {
        var bad = Cases[name];
        var conf = bad.Conf(_temp);
        var runDir = _temp.Combine("run");
        var result = Cli.Run(["train", "--config", conf, "--run-dir", runDir, .. bad.Args]);
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}\nstdout: {result.Out}");

        AssertBadInput(result, bad.ErrorMentions, mustNotExist: runDir);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_input_without_run_dir_creates_no_runs_folder(string name)
    {
        var bad = Cases[name];
        var conf = bad.Conf(_temp);
        var cwd = Directory.CreateDirectory(_temp.Combine("cwd")).FullName;
        var before = Environment.CurrentDirectory;
        Cli.Result result;
        try
        {
            Environment.CurrentDirectory = cwd;
            result = Cli.Run(["train", "--config", conf, .. bad.Args]);
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, bad.ErrorMentions, mustNotExist: Path.Combine(cwd, "runs"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd));
    }

    [Fact]
    public void A_run_dir_under_a_file_exits_2_and_the_file_is_kept()
    {
        var file = _temp.File("plain-file", "keep me");
        var runDir = Path.Combine(file, "run");
        var result = Cli.TrainDigits(runDir, "--epochs", "1");
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--run-dir", runDir, "cannot be created"]);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void A_missing_data_file_exits_2_naming_the_file()
    {
        var missing = _temp.Combine("data", "no-such-digits.csv.gz");
        var conf = _temp.File("conf/run.conf", TestFiles.DigitsConfText(t =>
            TestFiles.ReplaceOnce(t, "\"" + TestFiles.DigitsData + "\"", "\"" + missing + "\"")));
        var runDir = _temp.Combine("run");
        var result = Cli.Run("train", "--config", conf, "--run-dir", runDir);
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, [missing, "not found"], mustNotExist: runDir);
    }

    [Fact]
    public void A_non_empty_run_dir_exits_2_and_nothing_in_it_changes()
    {
        var runDir = _temp.Combine("busy");
        _temp.File("busy/notes.txt", "mine");
        _temp.File("busy/sub/data.bin", "also mine");
        var before = Snapshot(runDir);

        var result = Cli.TrainDigits(runDir, "--epochs", "1");
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--run-dir", runDir, "not empty"]);
        Assert.Equal(before, Snapshot(runDir));
    }

    [Fact]
    public void A_run_dir_that_holds_an_unfinished_run_exits_2_pointing_to_resume_and_nothing_in_it_changes()
    {
        var runDir = _temp.Combine("old-run");
        _temp.File("old-run/journal.db", "not really a journal");
        var before = Snapshot(runDir);

        var result = Cli.TrainDigits(runDir, "--epochs", "1");
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--run-dir", runDir, "--resume"]);
        Assert.Equal(before, Snapshot(runDir));
    }

    [Fact]
    public void A_run_dir_that_holds_a_finished_run_exits_2_and_nothing_in_it_changes()
    {
        var runDir = _temp.Combine("done-run");
        _temp.File("done-run/journal.db", "not really a journal");
        SummaryJson.Write(new RunSummary("done-run", RunStatus.Completed, 1, 0, null, "val_loss", 0, 0.5, null, 2, "gradients", 1, [], [], []), runDir);
        var before = Snapshot(runDir);

        var result = Cli.TrainDigits(runDir, "--epochs", "1");
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--run-dir", runDir, "finished run"]);
        Assert.DoesNotContain("unfinished", result.Err);
        Assert.Equal(before, Snapshot(runDir));
    }

    [Fact]
    public void Train_without_a_configuration_exits_2_naming_config()
    {
        var runDir = _temp.Combine("run");
        var result = Cli.Run("train", "--run-dir", runDir);
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--config"], mustNotExist: runDir);
    }

    [Fact]
    public void A_run_dir_that_is_a_file_exits_2_and_the_file_is_kept()
    {
        var runDir = _temp.File("a-file", "keep me");
        var result = Cli.TrainDigits(runDir, "--epochs", "1");
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");

        AssertBadInput(result, ["--run-dir", runDir, "is a file"]);
        Assert.Equal("keep me", File.ReadAllText(runDir));
    }

    [Fact]
    public void An_empty_run_dir_exits_2_and_creates_nothing()
    {
        var cwd = Directory.CreateDirectory(_temp.Combine("cwd")).FullName;
        var before = Environment.CurrentDirectory;
        Cli.Result result;
        try
        {
            Environment.CurrentDirectory = cwd;
            result = Cli.Run("train", "--config", TestFiles.DigitsConf, "--run-dir", "", "--epochs", "1");
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");
        AssertBadInput(result, ["--run-dir = \"\"", "must name a folder"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cwd));
    }

    [Theory]
    [InlineData(new string[0], "coordinator needs a verb: simulate, train")]
    [InlineData(new[] { "simulate", "--metrics", "m.csv" }, "coordinator simulate needs --callbacks")]
    [InlineData(new[] { "history" }, "coordinator history needs RUN_DIR")]
    [InlineData(new[] { "simulate", "--callbacks", "c.conf", "--metrics", "m.csv", "--initial-lr", "fast" }, "--initial-lr: 'fast' is not a number")]
    public void Command_line_errors_exit_2_in_words_without_dotnet_type_names(string[] args, string message)
    {
        var result = Cli.Run(args);
        output.WriteLine($"exit {result.Exit}\nstderr: {result.Err}");
        AssertBadInput(result, [message]);
        Assert.DoesNotContain("System.", result.Err);
    }

    [Fact]
    public void Train_help_says_config_is_required_what_the_data_file_holds_and_offers_set()
    {
        var result = Cli.Run("train", "--help");
        Assert.Equal(0, result.Exit);
        Assert.Contains("required (unless --resume)", result.Out);
        Assert.Contains("the label, a class 0..K-1, in the last column", result.Out);
        Assert.Contains("--set", result.Out);
    }

    [Fact]
    public void A_node_file_that_is_not_HOCON_is_refused_naming_the_file()
    {
        var file = _temp.File("node.conf", "this is : not { hocon [");
        var e = Assert.Throws<Node.NodeOptionError>(() => Node.NodeConfigFile.Load(file));
        Assert.Contains(file, e.Message);
        Assert.Contains("line 1: 'hocon' is not followed by", e.Message);
        Assert.EndsWith("(not valid HOCON)", e.Message);
        var words = _temp.File("words.conf", "akka { loglevel = INFO }\nsome words\n");
        Assert.Contains("line 2", Assert.Throws<Node.NodeOptionError>(() => Node.NodeConfigFile.Load(words)).Message);
        var other = _temp.File("other.conf", "data { path = x }\n");
        Assert.Contains("Akka settings only", Assert.Throws<Node.NodeOptionError>(() => Node.NodeConfigFile.Load(other)).Message);
    }

    /// <summary>Checks everything at once, so a failure lists every way the outcome differs.</summary>
    private static void AssertBadInput(Cli.Result result, IEnumerable<string> mentions, string? mustNotExist = null)
    {
        var problems = new List<string>();
        if (result.Exit != ExitCodes.BadInput) problems.Add($"exit code {result.Exit}, expected {ExitCodes.BadInput} (bad input)");
        if (!result.Err.StartsWith("error: ", StringComparison.Ordinal)) problems.Add("stderr does not start with 'error: '");
        if (result.Err.Contains("   at ", StringComparison.Ordinal)) problems.Add("stderr holds a stack trace, not a message");
        foreach (var m in mentions)
            if (!result.Err.Contains(m, StringComparison.Ordinal)) problems.Add($"stderr does not mention '{m}'");
        if (mustNotExist is not null && Path.Exists(mustNotExist))
        {
            var entries = Directory.Exists(mustNotExist)
                ? string.Join(", ", Directory.EnumerateFileSystemEntries(mustNotExist, "*", SearchOption.AllDirectories).Select(e => Path.GetRelativePath(mustNotExist, e)))
                : "(a file)";
            problems.Add($"{mustNotExist} was created; it holds: {entries}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems) + $"\n--- stderr:\n{result.Err}");
    }

    /// <summary>Every entry under a folder with its size, time and content hash.</summary>
    private static List<string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p)
                ? $"{Path.GetRelativePath(folder, p)} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O} {Core.Storage.AtomicFile.Sha256Of(p)}"
                : $"{Path.GetRelativePath(folder, p)}/ {Directory.GetLastWriteTimeUtc(p):O}")
            .ToList();
}
