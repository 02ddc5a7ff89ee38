namespace Coordinator.Callbacks;

/// <summary>Keras's <c>CSVLogger</c> arguments with Keras's defaults.</summary>
public sealed record CsvLoggerSettings(string Filename) : CallbackSettings
{
    public override string Type => "csv-logger";
    public string Separator { get; init; } = ",";
    public bool Append { get; init; }

    public override TrainingCallback Create(string name, RunInfo run)
    {
        if (string.IsNullOrWhiteSpace(Filename))
            throw new CallbackConfigurationException(name, "filename", "\"\"", "must name a file, e.g. \"history.csv\"");
        if (Separator.Length != 1)
            throw new CallbackConfigurationException(name, "separator", $"\"{Separator}\"", "must be a single character, as Python's csv module requires");
        return new CsvLogger(name, this);
    }
}
