using Akka.Configuration;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;

namespace Coordinator.Configuration.Tests;

/// <summary>Registering callback types: the built-ins first, a user's after them, mistakes refused.</summary>
public sealed class CallbackRegistryTests
{
    // A callback that remembers nothing: it shares the built-ins' "stateless" state.
    private sealed record NoteSettings(string Text) : CallbackSettings
    {
        public override string Type => "test-note";
        public override TrainingCallback Create(string name, RunInfo run) => new Note(name);
    }

    private sealed class Note(string name) : TrainingCallback(name)
    {
        public override CallbackState SaveState() => StatelessCallbackState.Instance;
        public override void RestoreState(CallbackState state) => Expect<StatelessCallbackState>(state);
    }

    private sealed record OtherState(int X) : CallbackState;

    static CallbackRegistryTests() =>
        CallbackRegistry.Register<NoteSettings, StatelessCallbackState>("test-note", f => new NoteSettings(f.String("text") ?? ""));

    private static IReadOnlyList<CallbackSettings> Read(string hocon) => CallbackConfigReader.Read(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_built_ins_are_registered_first_in_their_order()
    {
        Assert.Equal(["early-stopping", "reduce-lr-on-plateau", "learning-rate-scheduler", "model-checkpoint", "terminate-on-nan", "csv-logger"],
            CallbackRegistry.Names.Take(6));
        Assert.Contains("test-note", CallbackRegistry.Names);
    }

    [Fact]
    public void A_registered_type_is_read_with_its_reader_and_its_unknown_keys_are_refused()
    {
        Assert.Equal(new NoteSettings("hello"), Assert.Single(Read("callbacks = [ { type = test-note, text = hello } ]")));
        var error = Assert.Throws<ConfigurationError>(() => Read("callbacks = [ { type = test-note, txt = hello } ]"));
        Assert.Equal("callbacks[0].txt", error.Field);
        Assert.Contains("unknown setting for test-note; allowed: text", error.Message);
    }

    [Fact]
    public void A_stateless_callback_keeps_the_built_ins_stateless_discriminator()
    {
        Assert.Equal("stateless", CallbackStateTypes.Find(typeof(StatelessCallbackState))!.Discriminator);
        Assert.Null(CallbackStateTypes.Find("test-note"));
    }

    [Fact]
    public void An_unknown_type_names_the_field_the_value_and_the_registered_types()
    {
        var error = Assert.Throws<ConfigurationError>(() => Read("callbacks = [ { type = early-stopping }, { type = test-nte } ]"));
        Assert.Equal(("callbacks[1].type", "test-nte"), (error.Field, error.Value));
        Assert.Equal($"unknown callback type; registered: {string.Join(", ", CallbackRegistry.Names)}", error.Allowed);
        Assert.Contains("early-stopping, reduce-lr-on-plateau", error.Allowed);
    }

    [Fact]
    public void A_name_taken_by_another_type_is_refused_and_the_same_registration_again_changes_nothing()
    {
        var count = CallbackRegistry.Names.Count;
        CallbackRegistry.Register<NoteSettings, StatelessCallbackState>("test-note", f => new NoteSettings(""));
        Assert.Equal(count, CallbackRegistry.Names.Count);
        var error = Assert.Throws<ArgumentException>(() =>
            CallbackRegistry.Register<NoteSettings, OtherState>("early-stopping", f => new NoteSettings("")));
        Assert.Contains("\"early-stopping\" is registered already", error.Message);
        Assert.Null(CallbackStateTypes.Find(typeof(OtherState)));
    }

    [Fact]
    public void A_reader_whose_settings_name_another_type_is_a_programming_error()
    {
        CallbackRegistry.Register<NoteSettings, StatelessCallbackState>("test-misnamed", f => new NoteSettings("x"));
        var error = Assert.Throws<InvalidOperationException>(() => Read("callbacks = [ { type = test-misnamed } ]"));
        Assert.Contains("returned settings of type \"test-note\"", error.Message);
    }
}
