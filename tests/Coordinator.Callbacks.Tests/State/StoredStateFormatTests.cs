using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks.Tests.State;

/// <summary>
/// The built-in callbacks' states are stored in journals and snapshots as JSON with a <c>type</c>
/// discriminator. Opening the set of callbacks must not change a byte of it: old journals read, and new
/// ones read with older versions.
/// </summary>
public class StoredStateFormatTests
{
    // As written before the callback registry (source-generated polymorphic JSON).
    private const string Stored =
        "{\"learningRate\":0.25,\"stopTraining\":true,\"stopReason\":{\"kind\":\"NoImprovement\",\"source\":\"early-stopping\",\"message\":\"done\"}," +
        "\"lastEpoch\":3,\"callbacks\":[" +
        "{\"type\":\"early-stopping\",\"wait\":1,\"stoppedEpoch\":3,\"best\":0.5,\"bestEpoch\":2,\"hasBestWeights\":true}," +
        "{\"type\":\"reduce-lr-on-plateau\",\"wait\":0,\"cooldownCounter\":1,\"best\":null}," +
        "{\"type\":\"model-checkpoint\",\"best\":\"-Infinity\",\"currentEpoch\":3,\"batchesSinceLastSave\":0,\"lastBatchSeen\":4," +
        "\"kept\":[{\"path\":\"m-3\",\"value\":\"NaN\",\"epoch\":3}]}," +
        "{\"type\":\"stateless\"}," +
        "{\"type\":\"csv-logger\",\"keys\":[\"loss\",\"val_loss\"],\"headerWritten\":true}]}";

    private static readonly EngineState State = new(0.25, true, new StopReason(StopKind.NoImprovement, "early-stopping", "done"), 3,
    [
        new EarlyStoppingState(1, 3, 0.5, 2, true),
        new ReduceLrOnPlateauState(0, 1, null),
        new ModelCheckpointState(double.NegativeInfinity, 3, 0, 4, [new KeptCheckpoint("m-3", double.NaN, 3)]),
        StatelessCallbackState.Instance,
        new CsvLoggerState(["loss", "val_loss"], true),
    ]);

    [Fact]
    public void Built_in_states_are_written_as_before()
    {
        Assert.Equal(Stored, CallbackJsonContext.Serialize(State));
    }

    [Fact]
    public void Built_in_states_written_before_read_back_equal()
    {
        var read = CallbackJsonContext.Deserialize(Stored);
        Assert.Equal((State.LearningRate, State.StopTraining, State.StopReason, State.LastEpoch),
            (read.LearningRate, read.StopTraining, read.StopReason, read.LastEpoch));
        Assert.Equal(State.Callbacks[0], read.Callbacks[0]);
        Assert.Equal(State.Callbacks[1], read.Callbacks[1]);
        Assert.Equal(State.Callbacks.Select(c => c.GetType()), read.Callbacks.Select(c => c.GetType()));
        Assert.Equal(Stored, CallbackJsonContext.Serialize(read));
    }
}

/// <summary>States of callbacks registered at run time: stored with their discriminator, refused clearly when unknown.</summary>
public class RegisteredStateTypeTests
{
    public sealed record CounterState(int Count, double? Last) : CallbackState;

    private sealed record UnregisteredState(int X) : CallbackState;

    static RegisteredStateTypeTests() => CallbackStateTypes.Register<CounterState>("test-counter");

    private static EngineState With(CallbackState state) => new(0.5, false, null, 0, [state]);

    [Fact]
    public void A_registered_state_is_stored_under_its_discriminator_as_the_built_ins_are_and_read_back()
    {
        var json = CallbackJsonContext.Serialize(With(new CounterState(3, double.NaN)));
        Assert.Contains("\"callbacks\":[{\"type\":\"test-counter\",\"count\":3,\"last\":\"NaN\"}]", json);
        var back = Assert.IsType<CounterState>(Assert.Single(CallbackJsonContext.Deserialize(json).Callbacks));
        Assert.Equal(3, back.Count);
        Assert.True(double.IsNaN(back.Last!.Value));
    }

    [Fact]
    public void A_stored_state_of_an_unregistered_type_is_refused_naming_it_and_the_registered_ones()
    {
        var error = Assert.Throws<System.Text.Json.JsonException>(() => CallbackJsonContext.Deserialize(
            "{\"learningRate\":0.5,\"stopTraining\":false,\"stopReason\":null,\"lastEpoch\":0,\"callbacks\":[{\"type\":\"nobody\",\"n\":1}]}"));
        Assert.Contains("\"nobody\" is not registered", error.Message);
        Assert.Contains("csv-logger, early-stopping, model-checkpoint, reduce-lr-on-plateau, stateless", error.Message);
    }

    [Fact]
    public void A_state_of_an_unregistered_type_is_not_stored()
    {
        var error = Assert.Throws<System.Text.Json.JsonException>(() => CallbackJsonContext.Serialize(With(new UnregisteredState(1))));
        Assert.Contains("UnregisteredState is not registered", error.Message);
    }

    [Fact]
    public void A_taken_discriminator_or_a_second_name_for_a_type_is_refused_and_the_same_registration_again_is_not()
    {
        CallbackStateTypes.Register<CounterState>("test-counter");
        Assert.Throws<ArgumentException>(() => CallbackStateTypes.Register<UnregisteredState>("early-stopping"));
        Assert.Throws<ArgumentException>(() => CallbackStateTypes.Register<CounterState>("test-counter-2"));
        Assert.Null(CallbackStateTypes.Find("test-counter-2"));
    }
}
