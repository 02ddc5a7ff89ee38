using System.Globalization;
using System.Text;
using Coordinator.Cli.Bench.Trials;
using Coordinator.Core.Data;

namespace Coordinator.Cli.Bench;

/// <summary>
/// The training the timed comparisons share: a wide MLP on the digits set with each image also
/// shifted by one pixel in the 8 directions (9 x 1797 images: a larger set with the same
/// features, so that large batches still make many steps per epoch), SGD with momentum, large
/// batches: compute (forward, backward, the optimizer step) dominates a step.
/// </summary>
/// <param name="Hidden">Hidden layer widths of the MLP (64 inputs, 10 classes).</param>
/// <param name="BatchSize">Per worker (the bare loop matching N workers takes N x this per step).</param>
/// <param name="Epochs">Epochs per trial, the first <paramref name="WarmupEpochs"/> not counted.</param>
/// <param name="Shifted">Whether the data is the shifted (9x) digits set or the plain one.</param>
public sealed record Workload(IReadOnlyList<int> Hidden, int BatchSize, int Epochs, int WarmupEpochs, bool Shifted)
{
    public static readonly CsvFormat Format = new(0, 16);
    public const double ValidationSplit = 0.2;
    public const long Seed = 42;
    public const double LearningRate = 0.01;
    public const double Momentum = 0.9;

    public string DataName => Shifted ? "digits shifted by one pixel in 8 directions (9 x 1797 rows)" : "digits (1797 rows)";

    public string Describe(int trainSamples) => string.Create(CultureInfo.InvariantCulture,
        $"MLP 64-{string.Join("-", Hidden)}-10 (relu, {Parameters(Hidden):N0} parameters), {DataName}, {trainSamples} training samples, " +
        $"SGD lr {LearningRate} momentum {Momentum}, batch {BatchSize} per worker, {Epochs} epochs per trial of which {WarmupEpochs} warm-up");

    public static long Parameters(IReadOnlyList<int> hidden)
    {
        long total = 0, width = 64;
        foreach (var h in hidden.Append(10))
        {
            total += width * h + h;
            width = h;
        }
        return total;
    }

    public TrialSpec Trial(string name, TrialKind kind, string folder, string dataPath, int workers, int threads,
        int? batchSize = null, PersistenceLevel persistence = PersistenceLevel.Default) =>
        new(name, kind, folder, dataPath, Hidden, 0, batchSize ?? BatchSize, workers, threads, Epochs, Seed, LearningRate, Momentum,
            Persistence: persistence);

    /// <summary>The data file the workload trains on: digits itself, or the shifted set written once into <paramref name="folder"/>.</summary>
    public string PrepareData(string digitsPath, string folder)
    {
        if (!Shifted) return digitsPath;
        var path = Path.Combine(folder, "digits-shifted.csv");
        if (!File.Exists(path)) WriteShifted(TabularCsvLoader.Load(digitsPath, new CsvFormat(0, 1)), path);
        return path;
    }

    // Each 8x8 image moved by (dx, dy) in {-1, 0, 1}^2, the uncovered edge filled with 0; pixel counts kept (0..16).
    private static void WriteShifted(Dataset digits, string path)
    {
        var text = new StringBuilder();
        for (var i = 0; i < digits.Count; i++)
        {
            var row = digits.Row(i);
            for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    for (var y = 0; y < 8; y++)
                        for (var x = 0; x < 8; x++)
                        {
                            var (sx, sy) = (x - dx, y - dy);
                            var value = sx is >= 0 and < 8 && sy is >= 0 and < 8 ? row[sy * 8 + sx] : 0;
                            text.Append(((int)value).ToString(CultureInfo.InvariantCulture)).Append(',');
                        }
                    text.Append(digits.Labels[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>digits.csv.gz: from --data, else data/digits.csv.gz in the working folder or above the executable (a clone's layout).</summary>
    public static string FindDigits(string? given)
    {
        if (given is not null) return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"--data {given}: no such file");
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", "digits.csv.gz");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException("data/digits.csv.gz was not found in the working folder or above the executable; give --data PATH");
    }
}
