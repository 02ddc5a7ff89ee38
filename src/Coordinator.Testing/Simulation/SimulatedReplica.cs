using System.Globalization;
using System.Text;

namespace Coordinator.Testing.Simulation;

/// <summary>
/// What a simulated worker holds instead of a model: which epoch's training it has (-1: as the run
/// began). Its weights and training state are small byte strings that name that epoch, so a test can
/// tell which weights were stored, restored or loaded; replicas meant to be identical have the same hash.
/// </summary>
internal sealed record SimulatedReplica(int Epoch)
{
    private const string WeightsPrefix = "simulated-weights:epoch=";
    private const string StatePrefix = "simulated-state:epoch=";

    public static readonly SimulatedReplica Initial = new(-1);

    public string ParameterHash => $"simulated-epoch-{Epoch.ToString(CultureInfo.InvariantCulture)}";

    public byte[] Weights => Encoding.UTF8.GetBytes(WeightsPrefix + Epoch.ToString(CultureInfo.InvariantCulture));

    public byte[] State => Encoding.UTF8.GetBytes(StatePrefix + Epoch.ToString(CultureInfo.InvariantCulture));

    public static SimulatedReplica FromWeights(byte[] bytes) => Parse(bytes, WeightsPrefix, "weights");

    public static SimulatedReplica FromState(byte[] bytes) => Parse(bytes, StatePrefix, "training state");

    /// <summary>The epoch named by simulated weights, or null for other bytes (a corrupted file).</summary>
    public static int? EpochOfWeights(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.StartsWith(WeightsPrefix, StringComparison.Ordinal) &&
               int.TryParse(text[WeightsPrefix.Length..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) ? e : null;
    }

    private static SimulatedReplica Parse(byte[] bytes, string prefix, string what)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (!text.StartsWith(prefix, StringComparison.Ordinal) ||
            !int.TryParse(text[prefix.Length..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
            throw new InvalidDataException($"not simulated {what}: '{text}'");
        return new SimulatedReplica(epoch);
    }
}
