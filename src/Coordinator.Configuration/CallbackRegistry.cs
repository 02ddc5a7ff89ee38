using System.Collections.Immutable;
using System.Text.Json.Serialization.Metadata;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;

namespace Coordinator.Configuration;

/// <summary>
/// The callback types a configuration can name (<c>callbacks = [ { type = NAME, ... } ]</c>). Each is registered
/// with its settings reader (the entry's fields to a <see cref="CallbackSettings"/>), its factory (the settings'
/// <see cref="CallbackSettings.Create"/>) and the state type its callback saves after every epoch, with the
/// discriminator that state is stored under in journals and snapshots (<see cref="CallbackStateTypes"/>). The
/// built-ins are registered here as a user's callback is; register a callback once, before reading the
/// configuration that names it (the same registration again changes nothing).
/// </summary>
public static class CallbackRegistry
{
    /// <summary>One registered callback type.</summary>
    /// <param name="Name">The configuration name, also <see cref="CallbackSettings.Type"/> of the settings read.</param>
    /// <param name="Settings">The settings type the reader returns; its <see cref="CallbackSettings.Create"/> builds the callback.</param>
    /// <param name="State">The state type the callback saves.</param>
    public sealed record Registration(string Name, Type Settings, Type State, Func<HoconFields, CallbackSettings> Read);

    private static readonly object Gate = new();
    private static ImmutableList<Registration> _registered = [];

    static CallbackRegistry()
    {
        var json = CallbackJsonContext.Default;
        Register("early-stopping", CallbackConfigReader.EarlyStopping, json.EarlyStoppingState);
        Register("reduce-lr-on-plateau", CallbackConfigReader.ReduceLrOnPlateau, json.ReduceLrOnPlateauState);
        Register("learning-rate-scheduler", CallbackConfigReader.Scheduler, json.StatelessCallbackState, "stateless");
        Register("model-checkpoint", CallbackConfigReader.ModelCheckpoint, json.ModelCheckpointState);
        Register("terminate-on-nan", CallbackConfigReader.TerminateOnNaN, json.StatelessCallbackState, "stateless");
        Register("csv-logger", CallbackConfigReader.CsvLogger, json.CsvLoggerState);
    }

    /// <summary>
    /// Registers the callback type <paramref name="name"/>: <paramref name="read"/> turns its configuration entry
    /// into settings (use the fields' readers, which name the field, the value and what is allowed; unknown keys are
    /// refused after it returns); the settings' <see cref="CallbackSettings.Create"/> builds the callback; the
    /// callback's <see cref="TrainingCallback.SaveState"/> returns a <typeparamref name="TState"/>, stored under
    /// <paramref name="stateDiscriminator"/> (default: the one it has if registered already, e.g. <c>stateless</c>
    /// for <see cref="StatelessCallbackState"/>; else <paramref name="name"/>) with <paramref name="stateJson"/>
    /// (default: reflection, as the built-ins are written: camelCase, NaN and infinities by name).
    /// </summary>
    public static void Register<TSettings, TState>(string name, Func<HoconFields, TSettings> read,
        JsonTypeInfo<TState>? stateJson = null, string? stateDiscriminator = null)
        where TSettings : CallbackSettings where TState : CallbackState
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(read);
        lock (Gate)
        {
            if (_registered.Find(r => r.Name == name) is { } taken)
            {
                if (taken.Settings == typeof(TSettings) && taken.State == typeof(TState)) return;
                throw new ArgumentException($"the callback type \"{name}\" is registered already, with {taken.Settings.Name} and {taken.State.Name}", nameof(name));
            }
            // A state type registered before (StatelessCallbackState, say) keeps its discriminator.
            CallbackStateTypes.Register(stateDiscriminator ?? CallbackStateTypes.Find(typeof(TState))?.Discriminator ?? name, stateJson);
            _registered = _registered.Add(new Registration(name, typeof(TSettings), typeof(TState), fields => read(fields)));
        }
    }

    /// <summary>The registered names, the built-ins first, then in the order registered.</summary>
    public static IReadOnlyList<string> Names => [.. _registered.Select(r => r.Name)];

    public static Registration? Find(string name) => _registered.Find(r => r.Name == name);
}
