using Akka.Actor;
using Akka.Cluster;

namespace Coordinator.Cli.Node;

/// <summary>
/// Prints every membership and reachability change this node sees, one line each:
/// <c>member up: akka.tcp://coordinator@node1:4053 [supervisor] (this node)</c>.
/// </summary>
public sealed class MembershipLog : ReceiveActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);

    public MembershipLog(TextWriter output)
    {
        Receive<ClusterEvent.MemberJoined>(e => Write(output, "member joined", e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Write(output, "member weakly up", e.Member));
        Receive<ClusterEvent.MemberUp>(e => Write(output, "member up", e.Member));
        Receive<ClusterEvent.MemberLeft>(e => Write(output, "member leaving", e.Member));
        Receive<ClusterEvent.MemberExited>(e => Write(output, "member exited", e.Member));
        Receive<ClusterEvent.MemberDowned>(e => Write(output, "member downed", e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => Write(output, $"member removed (was {e.PreviousStatus.ToString().ToLowerInvariant()})", e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => Write(output, "member unreachable", e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Write(output, "member reachable again", e.Member));
    }

    public static Props Props(TextWriter output) => Akka.Actor.Props.Create(() => new MembershipLog(output));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Write(TextWriter output, string what, Member member)
    {
        var self = member.UniqueAddress.Equals(_cluster.SelfUniqueAddress) ? " (this node)" : "";
        output.WriteLine($"{what}: {member.Address} [{string.Join(",", member.Roles.Order(StringComparer.Ordinal))}]{self}");
    }
}
