namespace CallbackScenarios.Tests;

/// <summary>Scenarios are deterministic: each of this suite decides the same on every run, so a test that passes once always passes.</summary>
public sealed class SameDecisionsEveryRunTests
{
    public static TheoryData<string> Scenarios => [.. OurTraining.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Running_a_scenario_twice_gives_the_same_decisions(string name)
    {
        var scenario = OurTraining.All.Single(s => s.Name == name).Scenario;

        scenario.Run().AssertSameDecisionsAs(scenario.Run());
    }
}
