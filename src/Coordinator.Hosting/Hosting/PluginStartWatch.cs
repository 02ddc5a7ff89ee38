using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Watches the event stream for the run's journal or snapshot store failing to start
/// (<see cref="PluginStartFailures"/>) and tells the run's observer at once, so that the process ends with
/// one clear line instead of looping on the plug-in's restarts until the supervisor's recovery times out.
/// </summary>
public sealed class PluginStartWatch : ReceiveActor
{
    public PluginStartWatch(IActorRef observer)
    {
        var plugins = PluginStartFailures.Selected(Context.System.Settings.Config);
        Receive<Error>(e =>
        {
            if (PluginStartFailures.Describe(e, plugins) is not { } failure) return;
            observer.Tell(new RunProgress.RecoveryFailed(failure));
            Context.Stop(Self); // once is enough: the plug-in keeps restarting until the process ends
        });
    }

    public static Props Props(IActorRef observer) => Akka.Actor.Props.Create(() => new PluginStartWatch(observer));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(Error));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
