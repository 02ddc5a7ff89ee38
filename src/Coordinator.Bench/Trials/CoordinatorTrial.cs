using Coordinator.Cli.History;
using Coordinator.Cli.Train;
using Coordinator.Configuration;
using Coordinator.Core.Data;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// A coordinator trial: the run configuration written to a file and run by <see cref="TrainingHost"/>,
/// as <c>coordinator train --config</c> runs it; epoch times from the run's progress, accuracies
/// from its summary.json, steps and bytes sent from its journal.
/// </summary>
public static class CoordinatorTrial
{
    public static TrialResult Run(TrialSpec spec)
    {
        Directory.CreateDirectory(spec.Folder);
        var config = Path.Combine(spec.Folder, "trial.conf");
        File.WriteAllText(config, RunConfigText.For(spec));
        var runDir = Path.Combine(spec.Folder, "run");
        if (spec.CountTraffic) TrafficCounter.Start(spec.Workers);

        var runConfig = RunConfigReader.ReadFile(config);
        var prepared = TrainingHost.Prepare(runConfig);
        var clock = new EpochClock();
        var summary = new TrainingHost(clock).Run(new TrainingRequest.NewRun(runConfig, RunDir: runDir)).Summary!;
        if (summary.Status == RunStatus.Failed || summary.EpochsRun != spec.Epochs)
            throw new InvalidOperationException($"the run of trial \"{spec.Name}\" ended {summary.Status.ToString().ToLowerInvariant()} after {summary.EpochsRun} of {spec.Epochs} epochs: " +
                                                $"{summary.Error ?? summary.StopReason}; {string.Join("; ", clock.Messages)}");

        IReadOnlyList<long> bytes = [];
        var parameters = Workload.Parameters(spec.Hidden);
        if (spec.ReadJournal)
        {
            var events = RunJournal.ReadEvents(runDir);
            bytes = events.OfType<EpochCompleted>().OrderBy(e => e.Epoch).Select(e => e.BytesSent).ToList();
            parameters = events.OfType<RunStarted>().Single().ParameterCount;
        }
        var plan = ShardPlan.PerWorker(prepared.Data.Train.Count, spec.BatchSize, spec.Workers, spec.Seed);
        return new TrialResult(spec.Name, clock.EpochSeconds, prepared.Data.Train.Count, plan.StepsPerEpoch,
            summary.History.OrderBy(h => h.Epoch).Select(h => h.ValAccuracy).ToList(), bytes, parameters,
            clock.EpochCpuSeconds, spec.CountTraffic ? TrafficCounter.Snapshot() : null);
    }
}
