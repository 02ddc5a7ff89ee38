namespace Coordinator.Callbacks;

/// <summary>
/// What callbacks see of the model (Keras's <c>self.model</c>): the optimizer's learning rate
/// and the stop flag; and where they put their decisions.
/// </summary>
/// <remarks>
/// The learning rate is held as a 32-bit float because Keras's optimizer holds it in a float32
/// variable: every rate a callback writes is rounded to float32 and read back as a double, so
/// chains such as <c>lr * exp(-0.1)</c> and the <c>lr &gt; float32(min_lr)</c> guard round
/// exactly as they do in Keras.
/// </remarks>
public sealed class TrainingContext
{
    private float _learningRate;
    private readonly List<CallbackDecision> _decisions = [];

    public TrainingContext(double learningRate) => LearningRate = learningRate;

    /// <summary>The optimizer's rate, as Keras reads it: <c>float(convert_to_numpy(lr))</c>.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = (float)value;
    }

    /// <summary>Keras's <c>model.stop_training</c>.</summary>
    public bool StopTraining { get; private set; }

    /// <summary>Why training stops; the first reason given wins.</summary>
    public StopReason? StopReason { get; private set; }

    public void RequestStop(string source, int epoch, int? batch, StopReason reason)
    {
        if (!StopTraining) StopReason = reason;
        StopTraining = true;
        Emit(new StopRequested(source, epoch, batch, reason));
    }

    /// <summary>
    /// Keras's <c>TerminateOnNaN(raise_error=True)</c>: training ends at once, without the
    /// epoch's end or the train end (no restore of best weights).
    /// </summary>
    public bool Aborted { get; private set; }

    public void Abort() => Aborted = true;

    public void Emit(CallbackDecision decision) => _decisions.Add(decision);

    /// <summary>The decisions made since the last call, in order.</summary>
    public IReadOnlyList<CallbackDecision> TakeDecisions()
    {
        var taken = _decisions.ToArray();
        _decisions.Clear();
        return taken;
    }

    internal void Restore(double learningRate, bool stopTraining, StopReason? reason)
    {
        LearningRate = learningRate;
        StopTraining = stopTraining;
        StopReason = reason;
    }
}
