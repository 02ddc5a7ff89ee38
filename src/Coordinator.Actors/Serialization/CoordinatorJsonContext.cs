using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Actors.Protocol;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Serialization;

/// <summary>Source-generated JSON for every message and event (no reflection, no Newtonsoft).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(NodeMessages.RequestAssignment))]
[JsonSerializable(typeof(NodeMessages.Assignment))]
[JsonSerializable(typeof(WorkerCommands.Registered))]
[JsonSerializable(typeof(WorkerCommands.RegistrationRefused))]
[JsonSerializable(typeof(StartEpochWire))]
[JsonSerializable(typeof(WorkerCommands.StopEpoch))]
[JsonSerializable(typeof(WorkerCommands.AbortEpoch))]
[JsonSerializable(typeof(WorkerCommands.CaptureWeights))]
[JsonSerializable(typeof(WorkerCommands.CaptureTrainingState))]
[JsonSerializable(typeof(WorkerCommands.HashTrainingState))]
[JsonSerializable(typeof(WorkerCommands.LoadWeights))]
[JsonSerializable(typeof(WorkerCommands.LoadTrainingState))]
[JsonSerializable(typeof(WorkerCommands.Evaluate))]
[JsonSerializable(typeof(WorkerCommands.RunEnded))]
[JsonSerializable(typeof(WorkerReports.RegisterWorker))]
[JsonSerializable(typeof(WorkerReports.EpochAborted))]
[JsonSerializable(typeof(WorkerReports.WeightsCaptured))]
[JsonSerializable(typeof(WorkerReports.TrainingStateCaptured))]
[JsonSerializable(typeof(WorkerReports.TrainingStateHashed))]
[JsonSerializable(typeof(WorkerReports.TrainingStateLoaded))]
[JsonSerializable(typeof(BestWeightsSaved))]
[JsonSerializable(typeof(State.RunState))]
[JsonSerializable(typeof(WorkerReports.BatchTrained))]
[JsonSerializable(typeof(WorkerReports.EpochTrained))]
[JsonSerializable(typeof(WorkerReports.WeightsLoaded))]
[JsonSerializable(typeof(WorkerReports.Evaluated))]
[JsonSerializable(typeof(WorkerReports.WorkerFailed))]
[JsonSerializable(typeof(RunProgress.EpochBegan))]
[JsonSerializable(typeof(RunProgress.BatchProgress))]
[JsonSerializable(typeof(RunProgress.EpochSummarized))]
[JsonSerializable(typeof(RunProgress.Warning))]
[JsonSerializable(typeof(RunProgress.Note))]
[JsonSerializable(typeof(RunProgress.Recovered))]
[JsonSerializable(typeof(RunProgress.EpochLog))]
[JsonSerializable(typeof(RunProgress.RunFinished))]
[JsonSerializable(typeof(RunStarted))]
[JsonSerializable(typeof(EpochCompleted))]
[JsonSerializable(typeof(Legacy.EpochCompletedV1))]
[JsonSerializable(typeof(LearningRateChanged))]
[JsonSerializable(typeof(CheckpointSaved))]
[JsonSerializable(typeof(CheckpointDeleted))]
[JsonSerializable(typeof(TrainingStopped))]
[JsonSerializable(typeof(BestWeightsRestored))]
[JsonSerializable(typeof(RunCompleted))]
[JsonSerializable(typeof(RunFailed))]
[JsonSerializable(typeof(ResumeStateSaved))]
[JsonSerializable(typeof(ResumeStateDeleted))]
[JsonSerializable(typeof(RunResumed))]
[JsonSerializable(typeof(CheckpointCorrupted))]
[JsonSerializable(typeof(RunRewound))]
[JsonSerializable(typeof(WorkerJoined))]
[JsonSerializable(typeof(WorkerLost))]
[JsonSerializable(typeof(EpochRestarted))]
[JsonSerializable(typeof(CallbackWarned))]
internal sealed partial class CoordinatorJsonContext : JsonSerializerContext;
