using Akka.Configuration;
using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Core.Model;

namespace Coordinator.Simulation;

/// <summary>What <c>simulate</c> takes from its <c>--callbacks</c> file: the callbacks and, when the
/// file is a run configuration (a finished run's <c>run.conf</c>), the rate that run started with.</summary>
public sealed record SimulationConfig(IReadOnlyList<CallbackSettings> Callbacks, double? InitialLearningRate);

/// <summary>
/// Reads a callbacks file or a whole run configuration. Its top-level keys must be a run
/// configuration's sections, so a misspelled <c>callback = [...]</c> is an error rather than a
/// replay with no callbacks. Of the other sections only the optimizer's type and rate are read.
/// </summary>
public static class SimulationConfigReader
{
    private static readonly string[] RunSections = ["data", "model", "optimizer", "training"];

    public static SimulationConfig ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationError("--callbacks", path, "file not found");
        // Strictly, as a run configuration is read: an unclosed bracket is an error, not a parser that never returns.
        var (_, config) = HoconText.ReadFile(path, "--callbacks");
        return Read(config, path);
    }

    public static SimulationConfig Read(Config config, string file)
    {
        var keys = config.IsEmpty ? [] : config.Root.GetObject().Items.Keys.ToList();
        foreach (var key in keys)
            if (!RunConfigReader.Sections.Contains(key))
                throw new ConfigurationError(key, Show(config.Root.GetObject().Items[key]),
                    $"unknown top-level key in {file}; allowed: callbacks, or a run configuration's sections ({string.Join(", ", RunConfigReader.Sections)})");
        if (!keys.Contains("callbacks"))
            throw ConfigurationError.Missing("callbacks", $"{file} has no callbacks list: callbacks = [ {{ type = early-stopping, ... }} ]");
        var callbacks = CallbackConfigReader.Read(config);
        var isRunConfig = keys.Any(RunSections.Contains);
        return new SimulationConfig(callbacks, isRunConfig ? LearningRate(config) : null);
    }

    private static string Show(Akka.Configuration.Hocon.HoconValue v) =>
        v.IsString() ? v.GetString() ?? "null" : v.IsObject() ? "{ ... }" : "[ ... ]";

    // The run's starting rate: optimizer.learning-rate, or its optimizer's default (SGD when none is named).
    private static double LearningRate(Config config)
    {
        var f = config.HasPath("optimizer") && config.GetValue("optimizer").IsObject()
            ? new HoconFields("optimizer", config.GetValue("optimizer").GetObject())
            : null;
        var kind = (f?.String("type") ?? "sgd") switch
        {
            "sgd" => OptimizerKind.Sgd,
            "adam" => OptimizerKind.Adam,
            var other => throw new ConfigurationError("optimizer.type", other, "must be sgd or adam"),
        };
        var rate = f?.Double("learning-rate") ?? OptimizerSettings.DefaultLearningRate(kind);
        if (!(rate > 0) || !double.IsFinite(rate))
            throw new ConfigurationError("optimizer.learning-rate", rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "must be a finite number above 0");
        return rate;
    }
}
