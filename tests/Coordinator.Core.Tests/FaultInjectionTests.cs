using Coordinator.Core.Storage;

namespace Coordinator.Core.Tests;

/// <summary>The crash tests' knobs are read once, by a host, into the policy it hands to the loops and the store.</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public void The_variables_give_whole_milliseconds_and_anything_else_is_no_fault()
    {
        var variables = new Dictionary<string, string>
        {
            [FaultInjection.WriteDelayVariable] = "400",
            [FaultInjection.StepDelayVariable] = "-5",
        };
        var faults = FaultInjection.FromEnvironment(variables.GetValueOrDefault);
        Assert.Equal(new FaultInjection(TimeSpan.FromMilliseconds(400), TimeSpan.Zero), faults);
        Assert.Equal(FaultInjection.None, FaultInjection.FromEnvironment(_ => null));
        Assert.Equal(FaultInjection.None, FaultInjection.FromEnvironment(_ => "10ms"));
    }
}
