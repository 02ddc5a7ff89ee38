namespace CallbackScenarios.Tests;

/// <summary>If the supervisor's node goes down mid-run and another takes over, do we get the same training?</summary>
public sealed class SupervisorRestartTests
{
    [Fact]
    public void A_supervisor_restarted_after_epoch_10_makes_the_same_decisions_as_one_that_never_stopped()
    {
        var result = OurTraining.OnEarlierRun.RestartSupervisor(afterEpoch: 10).Run();

        result.AssertSameDecisionsAs(OurTraining.OnEarlierRun.Run());
        Assert.Equal(2, result.Supervisors);
        Assert.Equal(10, result.Resumes.Single().FromEpoch); // the new one went on from the state after epoch 10
    }
}
