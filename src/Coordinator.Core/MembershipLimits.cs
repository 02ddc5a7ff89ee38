namespace Coordinator.Core;

/// <summary>
/// Elastic membership, in one place: the fewest workers a run trains with (it starts once this many have
/// registered and fails when losses leave fewer), the most it takes (joiners included), and how many times an
/// epoch may be restarted after lost workers before the run fails. Read from <c>training.min-workers</c>,
/// <c>max-workers</c> and <c>max-restarts</c>, and handed to the supervisor as it is.
/// </summary>
public sealed record MembershipLimits(int MinWorkers, int MaxWorkers, int MaxRestarts)
{
    /// <summary>Exactly <paramref name="workers"/> workers, and <paramref name="maxRestarts"/> restarts.</summary>
    public static MembershipLimits Fixed(int workers, int maxRestarts = 0) => new(workers, workers, maxRestarts);
}
