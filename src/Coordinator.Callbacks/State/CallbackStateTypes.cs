using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Coordinator.Callbacks.State;

/// <summary>
/// The callback states a journal or snapshot can hold, each under the discriminator stored with it
/// (the <c>type</c> in its JSON) and with its serialization. The built-ins are registered under the
/// discriminators older journals hold; a user's callback registers its state here (through
/// <c>CallbackRegistry.Register</c>) before a run is started or resumed. Process-wide, as the journal is read
/// wherever the run is.
/// </summary>
public static class CallbackStateTypes
{
    /// <summary>One registered state type.</summary>
    public sealed record Entry(string Discriminator, Type Type, JsonTypeInfo Json);

    /// <summary>How a user's state is written when no <see cref="JsonTypeInfo"/> is given: as the built-ins are.</summary>
    public static readonly JsonSerializerOptions Options = new(CallbackJsonContext.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CallbackJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private static readonly object Gate = new();
    private static ImmutableDictionary<string, Entry> _byDiscriminator = ImmutableDictionary<string, Entry>.Empty;
    private static ImmutableDictionary<Type, Entry> _byType = ImmutableDictionary<Type, Entry>.Empty;

    static CallbackStateTypes()
    {
        var json = CallbackJsonContext.Default;
        Register("early-stopping", json.EarlyStoppingState);
        Register("reduce-lr-on-plateau", json.ReduceLrOnPlateauState);
        Register("model-checkpoint", json.ModelCheckpointState);
        Register("stateless", json.StatelessCallbackState);
        Register("csv-logger", json.CsvLoggerState);
    }

    /// <summary>
    /// Registers <typeparamref name="TState"/> under <paramref name="discriminator"/>, serialized with
    /// <paramref name="json"/> (source-generated, say), or by reflection with <see cref="Options"/> when null.
    /// Registering the same pair again changes nothing; a discriminator or a type already taken by another is refused.
    /// </summary>
    public static void Register<TState>(string discriminator, JsonTypeInfo<TState>? json = null) where TState : CallbackState
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(discriminator);
        if (typeof(TState).IsAbstract)
            throw new ArgumentException($"a callback state type must be concrete; {typeof(TState).Name} is abstract", nameof(TState));
        lock (Gate)
        {
            if (_byDiscriminator.TryGetValue(discriminator, out var taken) && taken.Type != typeof(TState))
                throw new ArgumentException($"the callback state discriminator \"{discriminator}\" is taken by {taken.Type.FullName}", nameof(discriminator));
            if (_byType.TryGetValue(typeof(TState), out var registered))
            {
                if (registered.Discriminator == discriminator) return;
                throw new ArgumentException($"{typeof(TState).FullName} is registered as \"{registered.Discriminator}\" already", nameof(discriminator));
            }
            var info = (JsonTypeInfo?)json ?? Options.GetTypeInfo(typeof(TState));
            if (info.Properties.Any(p => p.Name == Discriminator))
                throw new ArgumentException($"{typeof(TState).Name} has a property written as \"{Discriminator}\", which names the state's type in the journal", nameof(TState));
            var entry = new Entry(discriminator, typeof(TState), info);
            _byDiscriminator = _byDiscriminator.Add(discriminator, entry);
            _byType = _byType.Add(typeof(TState), entry);
        }
    }

    /// <summary>The property of a stored state that names its type.</summary>
    public const string Discriminator = "type";

    /// <summary>Every registered discriminator, sorted.</summary>
    public static IReadOnlyList<string> Discriminators => [.. _byDiscriminator.Keys.Order(StringComparer.Ordinal)];

    public static Entry? Find(string discriminator) => _byDiscriminator.GetValueOrDefault(discriminator);

    public static Entry? Find(Type type) => _byType.GetValueOrDefault(type);
}
