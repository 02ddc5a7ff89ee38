using Coordinator.Actors.Protocol;
using Coordinator.Actors.Workers;
using Coordinator.Configuration;
using Coordinator.Core.Data;
using Coordinator.Core.Replicas;

namespace Coordinator.Cli.Distributed;

/// <summary>Builds a worker from an assignment: the run configuration and data file the supervisor's node sent.</summary>
public static class WorkerAssignment
{
    /// <param name="scratch">A folder of this node's own for the data file.</param>
    public static (WorkerSetup Setup, IReplicaFactory Factory) Build(NodeMessages.Assignment assignment, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var dataPath = Path.Combine(scratch, Path.GetFileName(assignment.DataFileName));
        File.WriteAllBytes(dataPath, assignment.DataFile);
        var config = RunConfigReader.Parse(assignment.RunConfig, scratch);
        var settings = config.Settings with { Data = config.Settings.Data with { Path = dataPath } };
        var training = settings.Training;
        var split = DataSplitter.Split(TabularCsvLoader.Load(dataPath, settings.Data.Format), settings.Data.ValidationSplit, training.Seed);
        var threads = training.ThreadsPerWorker > 0 ? training.ThreadsPerWorker : 1; // nodes may share cores: one unless set
        return (Train.RunWorker.Setup(assignment.WorkerIndex, settings, split), Train.RunWorker.Factory(settings, split, threads));
    }
}
