using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Watches the event stream for the run's journal or snapshot store failing to start
/// (<see cref="PluginStartFailures"/>) and publishes it as the run's <see cref="RunProgress.RecoveryFailed"/> at once, so that the process ends with
/// one clear line instead of looping on the plug-in's restarts until the supervisor's recovery times out.
/// </summary>
public sealed class PluginStartWatch : ReceiveActor
{
    public PluginStartWatch(string runId)
    {
        var plugins = PluginStartFailures.Selected(Context.System.Settings.Config);
        Receive<Error>(e =>
        {
            if (PluginStartFailures.Describe(e, plugins) is not { } failure) return;
            Context.System.EventStream.Publish(new RunProgress.RecoveryFailed(failure) { RunId = runId });
            Context.Stop(Self); // once is enough: the plug-in keeps restarting until the process ends
        });
    }

    public static Props Props(string runId) => Akka.Actor.Props.Create(() => new PluginStartWatch(runId));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(Error));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
