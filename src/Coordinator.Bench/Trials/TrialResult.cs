namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// What a trial measured. <see cref="EpochSeconds"/>[k] is epoch k's wall time: for the bare loop
/// its training steps and validation pass; for the coordinator the time from the end of epoch k-1
/// (the start of the run for k = 0) to the end of epoch k as the run's observer sees it, so the
/// barrier, the files and the journal writes between epochs are all in it. <see cref="EpochCpuSeconds"/>
/// is the process's CPU time over the same spans.
/// </summary>
public sealed record TrialResult(
    string Name,
    IReadOnlyList<double> EpochSeconds,
    int TrainSamples,
    int StepsPerEpoch,
    IReadOnlyList<double> ValAccuracy,
    IReadOnlyList<long> BytesSentPerEpoch,
    long ParameterCount,
    IReadOnlyList<double> EpochCpuSeconds,
    TrafficCounts? Traffic = null)
{
    /// <summary>Mean CPU time (all threads of the process) per epoch after the warm-up: the work done, whatever else the machine runs.</summary>
    public double MeanEpochCpuSeconds(int warmup) => EpochCpuSeconds.Skip(warmup).Average();

    /// <summary>Mean epoch time after the first <paramref name="warmup"/> epochs (a mean, not a median:
    /// costs that come every few epochs, such as snapshots, belong in it).</summary>
    public double MeanEpochSeconds(int warmup) => EpochSeconds.Skip(warmup).Average();

    public double SamplesPerSecond(int warmup) => TrainSamples / MeanEpochSeconds(warmup);
}

/// <summary>Serialized bytes in and out of every actor of a run, counted by <see cref="CountingSerializer"/>.</summary>
/// <param name="Rounds">Allreduce rounds (synchronisations) seen.</param>
/// <param name="ChunkBytes">Serialized bytes of all ring chunks.</param>
/// <param name="ChunkFloatBytes">Raw float32 bytes those chunks carried.</param>
public sealed record TrafficCounts(
    IReadOnlyDictionary<string, long> BytesIn,
    IReadOnlyDictionary<string, long> BytesOut,
    long Rounds,
    long ChunkBytes,
    long ChunkFloatBytes);
