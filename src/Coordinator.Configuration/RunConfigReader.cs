using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Coordinator.Core;
using Coordinator.Core.Data;
using Coordinator.Core.Model;

namespace Coordinator.Configuration;

/// <summary>
/// Reads a run configuration (<c>hocon/digits.conf</c>): sections <c>data</c>, <c>model</c>,
/// <c>optimizer</c>, <c>training</c>, the <c>callbacks</c> list, <c>reporting</c>, and optionally <c>akka</c>
/// overrides. Unknown keys are errors; relative paths are relative to the file's folder.
/// </summary>
public static class RunConfigReader
{
    /// <summary>The top-level sections a run configuration may have.</summary>
    public static readonly IReadOnlyList<string> Sections = ["data", "model", "optimizer", "training", "callbacks", "reporting", "akka"];

    public static RunConfig ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationError("--config", path, "file not found");
        var text = HoconText.ReadFile(path, "--config").Text;
        try
        {
            return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
        }
        catch (ConfigurationError e)
        {
            throw e.From(path);
        }
    }

    /// <summary>A configuration's text; <paramref name="source"/> names it in syntax errors.</summary>
    public static RunConfig Parse(string text, string baseFolder, string source = "configuration")
    {
        var config = HoconText.Parse(text, source);
        var root = config.Root.GetObject();
        foreach (var key in root.Items.Keys)
            if (!Sections.Contains(key))
                throw new ConfigurationError(key, Show(root.Items[key]), $"unknown configuration section; allowed: {string.Join(", ", Sections)}");

        var data = Data(Section(root, "data") ?? throw ConfigurationError.Missing("data", "a data { path = ... } section"), baseFolder);
        var model = Model(Section(root, "model") ?? new HoconFields("model", new HoconObject()));
        var optimizer = Optimizer(Section(root, "optimizer") ?? new HoconFields("optimizer", new HoconObject()));
        var training = Training(Section(root, "training") ?? new HoconFields("training", new HoconObject()));
        var reporting = Reporting(Section(root, "reporting") ?? new HoconFields("reporting", new HoconObject()));
        var callbacks = CallbackConfigReader.Read(config);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        // The whole text is the Akka override layer: only its akka { } section means anything to Akka.
        return new RunConfig(new RunSettings(data, model, optimizer, training) { Reporting = reporting }, callbacks, text, sha,
            config.HasPath("akka") ? text : null);
    }

    private static HoconFields? Section(HoconObject root, string name)
    {
        if (!root.Items.TryGetValue(name, out var value)) return null;
        if (!value.IsObject()) throw new ConfigurationError(name, Show(value), "must be an object { ... }");
        return new HoconFields(name, value.GetObject());
    }

    private static DataSettings Data(HoconFields f, string baseFolder)
    {
        var path = f.RequireString("path", "the data file (CSV, optionally .gz): features then a label column");
        var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseFolder, path));
        var header = f.Int("header-lines", 0);
        if (header < 0) throw new ConfigurationError(f.FieldPath("header-lines"), Str(header), "must be 0 or more");
        var scale = f.Double("scale", 1);
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ConfigurationError(f.FieldPath("scale"), Str(scale), "must be a finite number above 0");
        var split = f.Double("validation-split", 0.2);
        if (!(split > 0 && split < 1)) throw new ConfigurationError(f.FieldPath("validation-split"), Str(split), "must be between 0 and 1 (exclusive)");
        var shuffle = f.Bool("shuffle", true);
        f.RejectUnknown("data");
        return new DataSettings(full, new CsvFormat(header, scale), split, shuffle);
    }

    private static ModelSettings Model(HoconFields f)
    {
        var hidden = f.IntList("hidden") ?? [64];
        if (hidden.Any(h => h < 1)) throw new ConfigurationError(f.FieldPath("hidden"), $"[{string.Join(", ", hidden)}]", "layer sizes must be 1 or more");
        var activation = (f.String("activation") ?? "relu") switch
        {
            "relu" => Activation.Relu,
            "tanh" => Activation.Tanh,
            "gelu" => Activation.Gelu,
            var other => throw new ConfigurationError(f.FieldPath("activation"), other, "must be relu, tanh or gelu"),
        };
        var dropout = f.Double("dropout", 0);
        if (!(dropout >= 0 && dropout < 1)) throw new ConfigurationError(f.FieldPath("dropout"), Str(dropout), "must be at least 0 and below 1");
        f.RejectUnknown("model");
        return new ModelSettings(hidden, activation, dropout);
    }

    private static OptimizerSettings Optimizer(HoconFields f)
    {
        var kind = (f.String("type") ?? "sgd") switch
        {
            "sgd" => OptimizerKind.Sgd,
            "adam" => OptimizerKind.Adam,
            var other => throw new ConfigurationError(f.FieldPath("type"), other, "must be sgd or adam"),
        };
        var defaults = new OptimizerSettings(kind, OptimizerSettings.DefaultLearningRate(kind));
        var settings = new OptimizerSettings(
            kind,
            LearningRate(f, defaults.LearningRate),
            NonNegative(f, "momentum", defaults.Momentum),
            f.Bool("nesterov", false),
            NonNegative(f, "beta-1", defaults.Beta1),
            NonNegative(f, "beta-2", defaults.Beta2),
            Positive(f, "epsilon", defaults.Epsilon),
            NonNegative(f, "weight-decay", 0));
        if (!(settings.Momentum < 1)) throw new ConfigurationError(f.FieldPath("momentum"), Str(settings.Momentum), "must be at least 0 and below 1");
        if (settings.Nesterov && !(settings.Momentum > 0)) throw new ConfigurationError(f.FieldPath("nesterov"), "true", "needs momentum above 0");
        if (!(settings.Beta1 < 1)) throw new ConfigurationError(f.FieldPath("beta-1"), Str(settings.Beta1), "must be at least 0 and below 1");
        if (!(settings.Beta2 < 1)) throw new ConfigurationError(f.FieldPath("beta-2"), Str(settings.Beta2), "must be at least 0 and below 1");
        if (kind == OptimizerKind.Sgd && (f.Has("beta-1") || f.Has("beta-2") || f.Has("epsilon")))
            throw new ConfigurationError(f.FieldPath("beta-1"), "(given)", "beta-1, beta-2 and epsilon are Adam's settings; type = sgd takes momentum and nesterov");
        if (kind == OptimizerKind.Adam && (f.Has("momentum") || f.Has("nesterov")))
            throw new ConfigurationError(f.FieldPath("momentum"), "(given)", "momentum and nesterov are SGD's settings; type = adam takes beta-1, beta-2 and epsilon");
        f.RejectUnknown("optimizer");
        return settings;
    }

    private static TrainingSettings Training(HoconFields f)
    {
        var epochs = AtLeast(f, "epochs", 50, 1);
        var batch = AtLeast(f, "batch-size", 32, 1);
        var workers = AtLeast(f, "workers", 2, 1);
        var seed = f.Long("seed") ?? 42;
        var sync = (f.String("sync") ?? "gradients") switch
        {
            "gradients" => SyncMode.Gradients,
            "parameters" => SyncMode.Parameters,
            var other => throw new ConfigurationError(f.FieldPath("sync"), other, "must be gradients or parameters"),
        };
        var syncEvery = AtLeast(f, "sync-every", 8, 1);
        var timeout = Duration(f, "epoch-timeout", TimeSpan.FromMinutes(5));
        var threads = f.Int("threads-per-worker", 0);
        if (threads < 0) throw new ConfigurationError(f.FieldPath("threads-per-worker"), Str(threads), "must be 0 (share the cores) or more");
        var snapshotEvery = AtLeast(f, "snapshot-every", 100, 1);
        var minWorkers = AtLeast(f, "min-workers", workers, 1);
        if (minWorkers > workers)
            throw new ConfigurationError(f.FieldPath("min-workers"), Str(minWorkers), $"must not exceed training.workers ({workers})");
        var maxWorkers = AtLeast(f, "max-workers", workers, 1);
        if (maxWorkers < workers)
            throw new ConfigurationError(f.FieldPath("max-workers"), Str(maxWorkers), $"must be at least training.workers ({workers})");
        var maxRestarts = AtLeast(f, "max-restarts", 3, 0);
        if ((long)batch * workers > int.MaxValue)
            throw new ConfigurationError(f.FieldPath("batch-size"), Str(batch),
                $"the global batch (batch-size x {workers} workers = {(long)batch * workers}) must not exceed {int.MaxValue}");
        f.RejectUnknown("training");
        return new TrainingSettings(epochs, batch, workers, seed, sync, syncEvery, timeout, threads, snapshotEvery)
        {
            Membership = new MembershipLimits(minWorkers, maxWorkers, maxRestarts),
        };
    }

    // reporting.tensorboard.update-freq: Keras's TensorBoard update_freq ("epoch", "batch" or every N batches).
    private static ReportingSettings Reporting(HoconFields f)
    {
        int? updateFreq = null;
        if (f.Object("tensorboard") is { } tb)
        {
            updateFreq = tb.String("update-freq") is not { } text ? null : text.Trim() switch
            {
                "epoch" => null,
                "batch" => 1,
                var n when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var batches) && batches >= 1 => batches,
                _ => throw new ConfigurationError(tb.FieldPath("update-freq"), text,
                    "must be epoch (epoch scalars only), batch, or a whole number of batches, 1 or more (also the running loss every that many batches)"),
            };
            tb.RejectUnknown("reporting.tensorboard");
        }
        f.RejectUnknown("reporting");
        return new ReportingSettings(updateFreq);
    }

    private static TimeSpan Duration(HoconFields f, string key, TimeSpan fallback)
    {
        var text = f.String(key);
        if (text is null) return fallback;
        var t = text.Trim();
        var (number, unit) = (new string(t.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray()), t.SkipWhile(c => char.IsAsciiDigit(c) || c == '.').Aggregate("", (a, c) => a + c).Trim());
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0)
        {
            double? ms = unit switch
            {
                "ms" => v,
                "" or "s" => v * 1000,
                "m" or "min" => v * 60_000,
                "h" => v * 3_600_000,
                _ => null,
            };
            // Akka's timers take at most int.MaxValue milliseconds (about 24.8 days).
            if (ms > int.MaxValue)
                throw new ConfigurationError(f.FieldPath(key), text, $"is too long: at most {int.MaxValue}ms (about 24 days)");
            if (ms is { } m) return TimeSpan.FromMilliseconds(m);
        }
        throw new ConfigurationError(f.FieldPath(key), text, "must be a duration such as 90s, 5m or 500ms");
    }

    private static int AtLeast(HoconFields f, string key, int fallback, int min)
    {
        var v = f.Int(key, fallback);
        if (v < min) throw new ConfigurationError(f.FieldPath(key), Str(v), $"must be {min} or more");
        return v;
    }

    private static double Positive(HoconFields f, string key, double fallback)
    {
        var v = f.Double(key, fallback);
        if (!(v > 0) || !double.IsFinite(v)) throw new ConfigurationError(f.FieldPath(key), Str(v), "must be a finite number above 0");
        return v;
    }

    // The rate is held as a float32 (as Keras holds it): it must be finite and above 0 as a float32 too.
    private static double LearningRate(HoconFields f, double fallback)
    {
        var v = Positive(f, "learning-rate", fallback);
        if (!float.IsFinite((float)v) || (float)v <= 0)
            throw new ConfigurationError(f.FieldPath("learning-rate"), Str(v),
                $"must be above 0 and finite as a float32, the rate's type (from {float.Epsilon:R} to {float.MaxValue:R})");
        return v;
    }

    private static double NonNegative(HoconFields f, string key, double fallback)
    {
        var v = f.Double(key, fallback);
        if (!(v >= 0) || !double.IsFinite(v)) throw new ConfigurationError(f.FieldPath(key), Str(v), "must be a finite number, 0 or more");
        return v;
    }

    private static string Str(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Show(HoconValue v) => v.IsString() ? v.GetString() ?? "null" : v.IsObject() ? "{ ... }" : "[ ... ]";
}
