namespace Coordinator.Configuration.Tests;

/// <summary>Values the reader refuses, each with the field, the value and what is allowed.</summary>
public sealed class RunConfigReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("config-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Base = "data { path = \"d.csv\" }\n";

    private static ConfigurationError Refused(string text) =>
        Assert.Throws<ConfigurationError>(() => RunConfigReader.Parse(Base + text, "/tmp"));

    [Theory]
    [InlineData("training { epochs = 99999999999 }", "training.epochs", "99999999999", "from -2147483648 to 2147483647")]
    [InlineData("training { epochs = 1e12 }", "training.epochs", "1e12", "from -2147483648 to 2147483647")]
    [InlineData("training { seed = 99999999999999999999 }", "training.seed", "99999999999999999999", "to 9223372036854775807")]
    [InlineData("model { hidden = [64, 99999999999] }", "model.hidden", "99999999999", "to 2147483647")]
    [InlineData("training { epochs = abc }", "training.epochs", "abc", "must be a whole number")]
    public void A_whole_number_out_of_range_says_the_range(string text, string field, string value, string allowed)
    {
        var e = Refused(text);
        Assert.Equal((field, value), (e.Field, e.Value));
        Assert.Contains(allowed, e.Message);
    }

    [Theory]
    [InlineData("1e300h")]
    [InlineData("30d")]
    [InlineData("600h")]
    public void An_epoch_timeout_beyond_the_timers_range_or_in_an_unknown_unit_is_refused(string timeout)
    {
        var e = Refused($"training {{ epoch-timeout = {timeout} }}");
        Assert.Equal(("training.epoch-timeout", timeout), (e.Field, e.Value));
    }

    [Fact]
    public void An_epoch_timeout_of_a_day_is_read() =>
        Assert.Equal(TimeSpan.FromHours(24), RunConfigReader.Parse(Base + "training { epoch-timeout = 24h }", "/tmp").Settings.Training.EpochTimeout);

    [Fact]
    public void A_global_batch_that_overflows_is_refused_naming_batch_size()
    {
        var e = Refused("training { batch-size = 2000000000, workers = 2 }");
        Assert.Equal(("training.batch-size", "2000000000"), (e.Field, e.Value));
        Assert.Contains("4000000000", e.Message);
        Assert.Contains("2147483647", e.Message);
    }

    [Theory]
    [InlineData("1e300")] // finite as a double, infinite as a float32
    [InlineData("1e-50")] // above 0 as a double, 0 as a float32
    public void A_learning_rate_a_float32_cannot_hold_is_refused(string rate)
    {
        var e = Refused($"optimizer {{ learning-rate = {rate} }}");
        Assert.Equal("optimizer.learning-rate", e.Field);
        Assert.Contains("float32", e.Message);
    }

    [Fact]
    public void The_largest_float32_rate_is_accepted() =>
        Assert.Equal(3e38, RunConfigReader.Parse(Base + "optimizer { learning-rate = 3e38 }", "/tmp").Settings.Optimizer.LearningRate);

    [Theory]
    [InlineData("separator = \"\"")]
    [InlineData("separator = null")]
    public void An_empty_csv_separator_is_not_taken_as_a_comma(string separator)
    {
        var settings = RunConfigReader.Parse(Base + $"callbacks = [ {{ type = csv-logger, filename = h.csv, {separator} }} ]", "/tmp").Callbacks;
        Assert.Equal("", Assert.IsType<Callbacks.CsvLoggerSettings>(settings[0]).Separator);
    }

    [Fact]
    public void Every_error_in_a_file_names_the_file()
    {
        var path = Path.Combine(_folder, "run.conf");
        File.WriteAllText(path, Base + "garbage = [ 1 ]\n");
        var e = Assert.Throws<ConfigurationError>(() => RunConfigReader.ReadFile(path));
        Assert.StartsWith($"{path}: garbage = [ ... ]: unknown configuration section", e.Message);
        File.WriteAllText(path, Base + "training {\n");
        Assert.StartsWith($"{path}: line 2: the '{{' opened on line 2 is never closed", Assert.Throws<ConfigurationError>(() => RunConfigReader.ReadFile(path)).Message);
    }

    [Fact]
    public void A_missing_include_is_named()
    {
        var e = Assert.Throws<ConfigurationError>(() => RunConfigReader.Parse("include \"nothere.conf\"\n" + Base, "/tmp"));
        Assert.Contains("include \"nothere.conf\"", e.Message);
        Assert.DoesNotContain("Object reference", e.Message);
    }
}
