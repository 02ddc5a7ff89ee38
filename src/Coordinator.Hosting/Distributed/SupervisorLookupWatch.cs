using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// Warns when this node's singleton proxy has not found the training supervisor for a while. It replaces the
/// proxy's own warning (<c>log-singleton-identification-failure</c>, off in hocon/cluster.conf), which Akka
/// 1.5.73 first logs the moment the proxy starts — before the cluster has even formed — so that every node
/// logged "ClusterSingletonProxy failed to find ..." at every normal start. This one first speaks after the
/// proxy's <c>singleton-identification-failure-period</c> (30 s) without a supervisor, then every period
/// until one is found.
/// </summary>
public sealed class SupervisorLookupWatch : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public SupervisorLookupWatch(TimeSpan period, string role)
    {
        var waited = TimeSpan.Zero;
        Receive<ClusterSingletonProxy.IdentifySingletonResult>(result =>
        {
            if (result.Result != ClusterSingletonProxy.IdentifyResult.Success || result.SingletonName != ClusterNode.SingletonName) return;
            Context.Stop(Self); // found: from here on, a lost supervisor shows as members leaving or unreachable
        });
        Receive<Tick>(_ =>
        {
            waited += period;
            _log.Warning("no training supervisor found after {0}: no node with the role {1} is up yet, or none hosts the run " +
                         "(check the supervisor nodes' logs)", waited.TotalSeconds.ToString("0.#s", System.Globalization.CultureInfo.InvariantCulture), role);
        });
        _period = period;
    }

    private readonly TimeSpan _period;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan period, string role) => Akka.Actor.Props.Create(() => new SupervisorLookupWatch(period, role));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ClusterSingletonProxy.IdentifySingletonResult));
        Timers.StartPeriodicTimer("tick", Tick.Instance, _period);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
