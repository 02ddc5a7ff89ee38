using Coordinator.Actors.Protocol;
using Coordinator.Actors.Workers;
using Coordinator.Configuration;
using Coordinator.Core.Data;
using Coordinator.Core.Replicas;
using Coordinator.Core.Storage;

namespace Coordinator.Cli.Distributed;

/// <summary>Builds a worker from an assignment: the run configuration the supervisor's node sent, and the data
/// file it names, read on this node (its SHA-256 goes with the registration, for the supervisor to check).</summary>
public static class WorkerAssignment
{
    public static (WorkerSetup Setup, IReplicaFactory Factory) Build(NodeMessages.Assignment assignment)
    {
        var settings = RunConfigReader.Parse(assignment.RunConfig, assignment.ConfigFolder).Settings;
        var dataPath = settings.Data.Path;
        if (!File.Exists(dataPath))
            throw new FileNotFoundException($"the run's data file {dataPath} (data.path, relative to {assignment.ConfigFolder}) is not on this node");
        var dataSha256 = AtomicFile.Sha256Of(dataPath);
        var training = settings.Training;
        var split = DataSplitter.Split(TabularCsvLoader.Load(dataPath, settings.Data.Format), settings.Data.ValidationSplit, training.Seed);
        var threads = training.ThreadsPerWorker > 0 ? training.ThreadsPerWorker : 1; // nodes may share cores: one unless set
        var setup = Train.RunWorker.Setup(assignment.WorkerIndex, settings, split) with { DataSha256 = dataSha256 };
        return (setup, Train.RunWorker.Factory(settings, split, threads));
    }
}
