using System.Globalization;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using Coordinator.Configuration;

namespace CallbackScenarios.Tests;

// A callback of our own, written in C#: training stops once the monitored metric, summed over the epochs
// trained, exceeds a budget. Its sum is state, saved after every epoch and restored when a run resumes.
// In a configuration: { type = loss-budget, monitor = loss, budget = 3.5 }.

/// <summary>The settings read from the configuration; <see cref="Create"/> is the factory.</summary>
public sealed record LossBudgetSettings(string Monitor, double Budget) : CallbackSettings
{
    public const string Name = "loss-budget";

    public override string Type => Name;

    public override TrainingCallback Create(string name, RunInfo run) =>
        Budget > 0 ? new LossBudget(name, this)
            : throw new CallbackConfigurationException(name, "budget", Budget.ToString(CultureInfo.InvariantCulture), "must be above 0");

    /// <summary>Makes <c>loss-budget</c> known to configurations, runs and resumes; call it before reading a configuration.</summary>
    public static void Register() => CallbackRegistry.Register<LossBudgetSettings, LossBudgetState>(Name,
        fields => new LossBudgetSettings(fields.String("monitor") ?? "loss", fields.Double("budget", 1.0)));
}

/// <summary>What the callback remembers between epochs (stored in the journal as <c>{"type":"loss-budget",...}</c>).</summary>
public sealed record LossBudgetState(double Spent, int Epochs) : CallbackState;

public sealed class LossBudget(string name, LossBudgetSettings settings) : TrainingCallback(name)
{
    public double Spent { get; private set; }

    public int Epochs { get; private set; }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context)
    {
        if (!logs.TryGetValue(settings.Monitor, out var value)) return;
        (Spent, Epochs) = (Spent + value, Epochs + 1);
        if (Spent > settings.Budget)
            context.RequestStop(Name, epoch, null, new StopReason(StopKind.Requested, Name, string.Create(CultureInfo.InvariantCulture,
                $"{settings.Monitor} summed over {Epochs} epochs is {Spent}, over the budget of {settings.Budget}")));
    }

    public override CallbackState SaveState() => new LossBudgetState(Spent, Epochs);

    public override void RestoreState(CallbackState state)
    {
        var saved = Expect<LossBudgetState>(state);
        (Spent, Epochs) = (saved.Spent, saved.Epochs);
    }
}
