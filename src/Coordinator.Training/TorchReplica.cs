using System.Runtime.InteropServices;
using System.Text;
using Coordinator.Core.Data;
using Coordinator.Core.Metrics;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Coordinator.Training;

/// <summary>
/// One worker's <see cref="Mlp"/>, its optimizer (TorchSharp's SGD or Adam) and its copy of the training and
/// validation sets as tensors. Create, use and dispose it on one thread: every call opens its own dispose
/// scope there, and only the model, the optimizer state, the gradients and the data outlive a call.
/// <para>
/// Flat vectors (parameters, gradients) list <c>module.parameters()</c> in order, each flattened row-major,
/// as float32. Gradients are allocated once and zeroed in place, never set to none, so an optimizer step
/// always sees a gradient for every parameter (a zero one after an empty batch).
/// </para>
/// </summary>
public sealed class TorchReplica : IReplica
{
    /// <summary>Rows per forward pass in <see cref="Evaluate"/>.</summary>
    public const int EvaluationChunk = 1024;

    private const string TrainingStateMagic = "Coordinator.TorchReplica.TrainingState";
    private const int TrainingStateVersion = 2; // 1 also held a dropout generator's state, which masks no longer have

    private static readonly Encoding StreamEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Mlp model;
    private readonly OptimizerHelper optimizer;
    private readonly Parameter[] parameters;
    private readonly int[] offsets; // offsets[i] = start of parameter i in the flat vector; offsets[^1] = ParameterCount
    private readonly Tensor trainFeatures;
    private readonly Tensor trainLabels;
    private readonly Tensor validationFeatures;
    private readonly Tensor validationLabels;
    private bool trainingMode;
    private bool disposed;
    private int epoch;

    /// <summary>Builds the model (parameters from <paramref name="seed"/> alone, so equal seeds give equal
    /// replicas; dropout masks too, which do not depend on <paramref name="worker"/>), the optimizer
    /// and the data tensors, on the calling thread. Call <see cref="TorchRuntime.SetNumThreads"/> before the first
    /// replica (the factory does).</summary>
    public TorchReplica(DataSplit data, ModelSettings model, OptimizerSettings optimizer, long seed, int worker)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        CheckCompatible(data);

        ModelSettings = model;
        OptimizerSettings = optimizer;
        Seed = seed;
        Worker = worker;
        TorchRuntime.EnsureInitialized();

        using var scope = NewDisposeScope();
        try
        {
            this.model = new Mlp(
                data.Train.FeatureCount,
                model.Hidden,
                ToMlpActivation(model.Activation),
                model.Dropout,
                data.Train.ClassCount,
                seed);
            this.model.train();
            trainingMode = true;

            parameters = this.model.parameters().ToArray();
            offsets = new int[parameters.Length + 1];
            long total = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                offsets[i] = checked((int)total);
                total += parameters[i].numel();
                using var noGrad = no_grad();
                parameters[i].grad = zeros_like(parameters[i]); // the parameter keeps it; this handle dies with the scope
            }

            ParameterCount = checked((int)total);
            offsets[^1] = ParameterCount;

            this.optimizer = CreateOptimizer(parameters, optimizer);
            (trainFeatures, trainLabels) = ToTensors(data.Train);
            (validationFeatures, validationLabels) = ToTensors(data.Validation);
        }
        catch
        {
            DisposeOwned();
            throw;
        }
    }

    public int ParameterCount { get; }

    public ModelSettings ModelSettings { get; }

    public OptimizerSettings OptimizerSettings { get; }

    public long Seed { get; }

    public int Worker { get; }

    public int TrainCount => (int)trainLabels.shape[0];

    public int ValidationCount => (int)validationLabels.shape[0];

    /// <summary>The model itself, for tests and export; mutate it only through this replica's thread.</summary>
    public Mlp Model => model;

    public void BeginEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        this.epoch = epoch;
    }

    public BatchResult ComputeGradients(ReadOnlySpan<int> trainIndices)
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        ZeroGradients();
        if (trainIndices.IsEmpty)
        {
            return default;
        }

        SetTrainingMode(true);
        model.Masks?.Use(epoch, trainIndices);
        Tensor index = IndexTensor(trainIndices);
        Tensor x = trainFeatures.index_select(0, index);
        Tensor y = trainLabels.index_select(0, index);
        Tensor logits = model.forward(x);
        Tensor loss = nn.functional.cross_entropy(logits, y);
        loss.backward();

        double meanLoss = loss.item<float>();
        long correct;
        using (no_grad())
        {
            correct = logits.argmax(1).eq(y).sum().item<long>();
        }

        return Result(trainIndices.Length, meanLoss * trainIndices.Length, correct);
    }

    public void ReadGradients(Span<float> destination)
    {
        ThrowIfDisposed();
        CheckLength(destination.Length, nameof(destination));
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            CopyOut(Gradient(i), Slice(destination, i));
        }
    }

    public void ApplyGradients(ReadOnlySpan<float> gradient, double learningRate)
    {
        ThrowIfDisposed();
        CheckLength(gradient.Length, nameof(gradient));
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            CopyIn(gradient.Slice(offsets[i], offsets[i + 1] - offsets[i]), Gradient(i));
        }

        StepOptimizer(learningRate);
    }

    public void Step(double learningRate)
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        StepOptimizer(learningRate);
    }

    public void ReadParameters(Span<float> destination)
    {
        ThrowIfDisposed();
        CheckLength(destination.Length, nameof(destination));
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            CopyOut(parameters[i], Slice(destination, i));
        }
    }

    public void WriteParameters(ReadOnlySpan<float> source)
    {
        ThrowIfDisposed();
        CheckLength(source.Length, nameof(source));
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            CopyIn(source.Slice(offsets[i], offsets[i + 1] - offsets[i]), parameters[i]);
        }
    }

    public BatchResult Evaluate(ReadOnlySpan<int> indices, bool validation)
    {
        ThrowIfDisposed();
        if (indices.IsEmpty)
        {
            return default;
        }

        (Tensor features, Tensor labels) = validation ? (validationFeatures, validationLabels) : (trainFeatures, trainLabels);
        SetTrainingMode(false);
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < indices.Length; start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            Tensor index = IndexTensor(indices.Slice(start, Math.Min(EvaluationChunk, indices.Length - start)));
            Tensor y = labels.index_select(0, index);
            Tensor logits = model.forward(features.index_select(0, index));
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).to_type(ScalarType.Float64).item<double>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }

        return Result(indices.Length, lossSum, correct);
    }

    /// <summary>What a replica reports: the cross-entropy loss and the accuracy (argmax equals the label).</summary>
    public static readonly IReadOnlyList<MetricDefinition> Metrics = [MetricDefinition.Loss, MetricDefinition.Accuracy];

    private static BatchResult Result(int count, double lossSum, long correct) =>
        new(count, [new MetricSum("loss", lossSum, count), new MetricSum("accuracy", correct, count)]);

    /// <summary>The weights in TorchSharp's format (<c>Module.save</c>): <c>Module.load</c> on an <see cref="Mlp"/>
    /// of the same shape reads them. The stream is left open.</summary>
    public void SaveWeights(Stream destination)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(destination);
        using var scope = NewDisposeScope();
        using var writer = new BinaryWriter(destination, StreamEncoding, leaveOpen: true);
        model.save(writer);
        writer.Flush();
    }

    /// <summary>Reads weights written by <see cref="SaveWeights"/> (or <c>Module.save</c> of a same-shaped
    /// <see cref="Mlp"/>) into this replica's parameters; optimizer state is untouched. The stream is left open.</summary>
    public void LoadWeights(Stream source)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        using var reader = new BinaryReader(source, StreamEncoding, leaveOpen: true);
        model.load(reader, strict: true);
    }

    /// <summary>
    /// Everything a resumed run needs to continue exactly as this replica would: the weights (in
    /// <see cref="SaveWeights"/>' format), the optimizer's state (TorchSharp's <c>save_state_dict</c>: options,
    /// SGD momentum buffers or Adam moments and step counts) and the dropout generator's state. Gradients are
    /// not included: every step computes or receives them afresh. The stream is left open.
    /// </summary>
    public void SaveTrainingState(Stream destination)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(destination);
        using var scope = NewDisposeScope();
        using var writer = new BinaryWriter(destination, StreamEncoding, leaveOpen: true);
        writer.Write(TrainingStateMagic);
        writer.Write(TrainingStateVersion);
        writer.Write(OptimizerSettings.Kind.ToString());
        writer.Write(ParameterCount);
        model.save(writer);
        optimizer.save_state_dict(writer);
        writer.Flush();
    }

    /// <summary>Restores what <see cref="SaveTrainingState"/> wrote, into a replica built with the same model and
    /// optimizer settings. The learning rate is set by each step as always. The stream is left open.</summary>
    public void LoadTrainingState(Stream source)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        using var reader = new BinaryReader(source, StreamEncoding, leaveOpen: true);
        if (reader.ReadString() != TrainingStateMagic)
        {
            throw new InvalidDataException("Not a TorchReplica training state.");
        }

        int version = reader.ReadInt32();
        if (version is not (1 or TrainingStateVersion))
        {
            throw new InvalidDataException($"Training state version {version}; this build reads versions 1 and {TrainingStateVersion}.");
        }

        string kind = reader.ReadString();
        if (kind != OptimizerSettings.Kind.ToString())
        {
            throw new InvalidDataException($"The training state is for a {kind} optimizer; this replica uses {OptimizerSettings.Kind}.");
        }

        int count = reader.ReadInt32();
        if (count != ParameterCount)
        {
            throw new InvalidDataException($"The training state has {count} parameters; this replica has {ParameterCount}.");
        }

        model.load(reader, strict: true);

        // TorchSharp creates the loaded optimizer state tensors (e.g. every SGD momentum buffer) on the
        // current dispose scope: keep them alive past this call.
        optimizer.load_state_dict(reader);
        DetachOptimizerState();

        // Version 1 ends with the state of a dropout generator: read past it (masks are now a function of the samples).
        if (version == 1 && reader.ReadBoolean())
        {
            Tensor? state = null;
            TensorExtensionMethods.Load(ref state, reader);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        DisposeOwned();
    }

    internal static MlpActivation ToMlpActivation(Activation activation) => activation switch
    {
        Activation.Relu => MlpActivation.Relu,
        Activation.Tanh => MlpActivation.Tanh,
        Activation.Gelu => MlpActivation.Gelu,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    internal static void CheckSettings(OptimizerSettings optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        static void Check(bool ok, string what, double value)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(nameof(optimizer), value, $"{what} = {value} is out of range.");
            }
        }

        Check(optimizer.LearningRate >= 0 && double.IsFinite(optimizer.LearningRate), "learning rate", optimizer.LearningRate);
        Check(optimizer.WeightDecay >= 0 && double.IsFinite(optimizer.WeightDecay), "weight decay", optimizer.WeightDecay);
        switch (optimizer.Kind)
        {
            case OptimizerKind.Sgd:
                Check(optimizer.Momentum >= 0 && optimizer.Momentum < 1, "momentum (0 <= m < 1)", optimizer.Momentum);
                if (optimizer.Nesterov && optimizer.Momentum <= 0)
                {
                    throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(optimizer));
                }

                break;
            case OptimizerKind.Adam:
                Check(optimizer.Beta1 >= 0 && optimizer.Beta1 < 1, "beta1 (0 <= b < 1)", optimizer.Beta1);
                Check(optimizer.Beta2 >= 0 && optimizer.Beta2 < 1, "beta2 (0 <= b < 1)", optimizer.Beta2);
                Check(optimizer.Epsilon > 0 && double.IsFinite(optimizer.Epsilon), "epsilon", optimizer.Epsilon);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer.Kind, "Unknown optimizer.");
        }
    }

    internal static void CheckCompatible(DataSplit data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(data));
        }

        if (data.Train.FeatureCount != data.Validation.FeatureCount || data.Train.ClassCount != data.Validation.ClassCount)
        {
            throw new ArgumentException(
                $"Training ({data.Train.FeatureCount} features, {data.Train.ClassCount} classes) and validation " +
                $"({data.Validation.FeatureCount} features, {data.Validation.ClassCount} classes) sets differ in shape.",
                nameof(data));
        }
    }

    private static OptimizerHelper CreateOptimizer(IEnumerable<Parameter> parameters, OptimizerSettings settings)
    {
        CheckSettings(settings);
        return settings.Kind switch
        {
            OptimizerKind.Sgd => optim.SGD(
                parameters,
                settings.LearningRate,
                momentum: settings.Momentum,
                dampening: 0,
                weight_decay: settings.WeightDecay,
                nesterov: settings.Nesterov),
            OptimizerKind.Adam => optim.Adam(
                parameters,
                settings.LearningRate,
                beta1: settings.Beta1,
                beta2: settings.Beta2,
                eps: settings.Epsilon,
                weight_decay: settings.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown optimizer."),
        };
    }

    // Long-lived: created on no dispose scope of the caller's, copied from the managed arrays once.
    private static (Tensor Features, Tensor Labels) ToTensors(Dataset set)
    {
        Tensor features = empty([set.Count, set.FeatureCount], ScalarType.Float32).DetachFromDisposeScope();
        Tensor labels = empty([set.Count], ScalarType.Int64).DetachFromDisposeScope();
        if (set.Count > 0)
        {
            MemoryMarshal.AsBytes(set.Features.AsSpan(0, set.Count * set.FeatureCount)).CopyTo(features.bytes);
            Span<long> labelSpan = MemoryMarshal.Cast<byte, long>(labels.bytes);
            for (int i = 0; i < set.Count; i++)
            {
                labelSpan[i] = set.Labels[i];
            }
        }

        return (features, labels);
    }

    private static Tensor IndexTensor(ReadOnlySpan<int> indices)
    {
        Tensor index = empty([indices.Length], ScalarType.Int32);
        MemoryMarshal.AsBytes(indices).CopyTo(index.bytes);
        return index;
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        if (source.is_contiguous())
        {
            MemoryMarshal.Cast<byte, float>(source.bytes).CopyTo(destination);
            return;
        }

        using Tensor contiguous = source.contiguous();
        MemoryMarshal.Cast<byte, float>(contiguous.bytes).CopyTo(destination);
    }

    // Writes straight into the tensor's memory (no autograd record, which parameters and gradients don't need).
    private static void CopyIn(ReadOnlySpan<float> source, Tensor destination)
    {
        if (destination.is_contiguous())
        {
            source.CopyTo(MemoryMarshal.Cast<byte, float>(destination.bytes));
            return;
        }

        using Tensor staging = empty(destination.shape, ScalarType.Float32);
        source.CopyTo(MemoryMarshal.Cast<byte, float>(staging.bytes));
        using var noGrad = no_grad();
        destination.copy_(staging);
    }

    private Span<float> Slice(Span<float> flat, int parameter) =>
        flat.Slice(offsets[parameter], offsets[parameter + 1] - offsets[parameter]);

    // A new handle (on the current dispose scope) to the gradient the parameter keeps.
    private Tensor Gradient(int parameter) =>
        parameters[parameter].grad ?? throw new InvalidOperationException($"Parameter {parameter} lost its gradient tensor.");

    private void ZeroGradients()
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            Gradient(i).zero_();
        }
    }

    private void StepOptimizer(double learningRate)
    {
        if (!(learningRate >= 0) || !double.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be a finite number, 0 or more");
        }

        foreach (ParamGroup group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        optimizer.step();
    }

    private void SetTrainingMode(bool on)
    {
        if (trainingMode != on)
        {
            model.train(on);
            trainingMode = on;
        }
    }

    private void DetachOptimizerState()
    {
        foreach (OptimizerState state in optimizer.state_dict().State)
        {
            switch (state)
            {
                case SGD.State sgd:
                    sgd.momentum_buffer?.DetachFromDisposeScope();
                    break;
                case Adam.State adam:
                    adam.exp_avg?.DetachFromDisposeScope();
                    adam.exp_avg_sq?.DetachFromDisposeScope();
                    adam.max_exp_avg_sq?.DetachFromDisposeScope();
                    break;
            }
        }
    }

    private void CheckLength(int length, string name)
    {
        if (length != ParameterCount)
        {
            throw new ArgumentException($"has {length} values; the replica has {ParameterCount} parameters", name);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private void DisposeOwned()
    {
        optimizer?.Dispose();
        model?.Dispose();
        trainFeatures?.Dispose();
        trainLabels?.Dispose();
        validationFeatures?.Dispose();
        validationLabels?.Dispose();
    }
}
