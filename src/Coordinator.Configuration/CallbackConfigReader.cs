using Akka.Configuration;
using Coordinator.Callbacks;
using Coordinator.Callbacks.Scheduling;

namespace Coordinator.Configuration;

/// <summary>
/// Reads the <c>callbacks = [ { type = ..., ... } ]</c> list: Keras's argument names in
/// kebab-case (snake_case also accepted), every Keras argument with its Keras default, and an
/// error naming the field, the value and what is allowed for anything else.
/// </summary>
public static class CallbackConfigReader
{
    /// <summary>The callback types a configuration can name: <see cref="CallbackRegistry.Names"/>.</summary>
    public static IReadOnlyList<string> Types => CallbackRegistry.Names;

    public static IReadOnlyList<CallbackSettings> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationError("--callbacks", path, "file not found");
        return Read(HoconText.ReadFile(path, "--callbacks").Config);
    }

    public static IReadOnlyList<CallbackSettings> Read(Config config, string path = "callbacks")
    {
        if (!config.HasPath(path)) return [];
        var value = config.GetValue(path);
        if (HoconFields.IsEmptyList(value)) return [];
        if (!value.IsArray())
            throw new ConfigurationError(path, value.ToString(), "must be a list: callbacks = [ { type = early-stopping, ... } ]");
        var list = value.GetArray();
        var result = new List<CallbackSettings>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (!list[i].IsObject())
                throw new ConfigurationError(itemPath, list[i].ToString(), "must be an object { type = ..., ... }");
            result.Add(ReadOne(new HoconFields(itemPath, list[i].GetObject())));
        }
        return result;
    }

    private static CallbackSettings ReadOne(HoconFields f)
    {
        var type = f.RequireString("type", $"one of the registered callback types: {string.Join(", ", Types)}");
        var registration = CallbackRegistry.Find(type)
            ?? throw new ConfigurationError(f.FieldPath("type"), type, $"unknown callback type; registered: {string.Join(", ", Types)}");
        var settings = registration.Read(f);
        if (settings.Type != type)
            throw new InvalidOperationException($"the reader registered for callback type \"{type}\" returned settings of type \"{settings.Type}\"");
        f.RejectUnknown(type);
        return settings;
    }

    // The built-ins' readers, registered in CallbackRegistry.
    internal static TerminateOnNaNSettings TerminateOnNaN(HoconFields f) => new() { RaiseError = f.Bool("raise-error", false) };

    internal static CsvLoggerSettings CsvLogger(HoconFields f) => new(f.RequireString("filename", "a file name, e.g. \"history.csv\""))
    {
        Separator = f.StringOrEmpty("separator") ?? ",", // "" is refused by the settings, as Python's csv refuses it
        Append = f.Bool("append", false),
    };

    internal static EarlyStoppingSettings EarlyStopping(HoconFields f) => new()
    {
        Monitor = f.String("monitor") ?? "val_loss",
        MinDelta = f.Double("min-delta", 0),
        Patience = f.Int("patience", 0),
        Verbose = Verbose(f),
        Mode = Mode(f),
        Baseline = f.Double("baseline"),
        RestoreBestWeights = f.Bool("restore-best-weights", false),
        StartFromEpoch = f.Int("start-from-epoch", 0),
        StoppingThreshold = f.Double("stopping-threshold"),
        DivergenceThreshold = f.Double("divergence-threshold"),
        CheckFinite = f.Bool("check-finite", false),
    };

    internal static ReduceLrOnPlateauSettings ReduceLrOnPlateau(HoconFields f) => new()
    {
        Monitor = f.String("monitor") ?? "val_loss",
        Factor = f.Double("factor", 0.1),
        Patience = f.Int("patience", 10),
        Verbose = Verbose(f),
        Mode = Mode(f),
        MinDelta = f.Double("min-delta", 1e-4),
        Cooldown = f.Int("cooldown", 0),
        MinLr = f.Double("min-lr", 0),
    };

    internal static ModelCheckpointSettings ModelCheckpoint(HoconFields f)
    {
        var filepath = f.RequireString("filepath", "a file name template, e.g. \"ckpt-{epoch:02d}-{val_loss:.4f}.weights\"");
        return new ModelCheckpointSettings(filepath)
        {
            Monitor = f.String("monitor") ?? "val_loss",
            Verbose = Verbose(f),
            SaveBestOnly = f.Bool("save-best-only", false),
            SaveWeightsOnly = f.Bool("save-weights-only", false),
            Mode = Mode(f),
            SaveFreqBatches = SaveFreq(f),
            InitialValueThreshold = f.Double("initial-value-threshold"),
            SaveTopK = f.Int("save-top-k", -1),
            SaveLast = f.Bool("save-last", false),
            LastFilepath = f.String("last-filepath"),
        };
    }

    private static int? SaveFreq(HoconFields f)
    {
        var text = f.String("save-freq");
        if (text is null || text == "epoch") return null;
        if (int.TryParse(text, out var n)) return n;
        throw new ConfigurationError(f.FieldPath("save-freq"), text, "must be \"epoch\" or a whole number of batches");
    }

    internal static LearningRateSchedulerSettings Scheduler(HoconFields f)
    {
        var schedule = f.Object("schedule")
            ?? throw ConfigurationError.Missing(f.FieldPath("schedule"), $"a schedule {{ kind = ... }}; kinds: {string.Join(", ", ScheduleKinds)}");
        return new LearningRateSchedulerSettings(ScheduleReader.Read(schedule)) { Verbose = Verbose(f) };
    }

    private static IReadOnlyList<string> ScheduleKinds => ScheduleReader.Kinds;

    private static int Verbose(HoconFields f)
    {
        var text = f.String("verbose");
        return text switch
        {
            null => 0,
            "true" or "auto" => 1,
            "false" => 0,
            _ => f.Int("verbose", 0),
        };
    }

    private static MonitorMode Mode(HoconFields f)
    {
        var text = f.String("mode");
        return text switch
        {
            null or "auto" => MonitorMode.Auto,
            "min" => MonitorMode.Min,
            "max" => MonitorMode.Max,
            _ => throw new ConfigurationError(f.FieldPath("mode"), text, "must be auto, min or max"),
        };
    }
}
