using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// Sends a message that may be larger than a remoting frame (<see cref="TransferMessages.ILargeMessage"/>):
/// to an actor of this process, as a plain reference (nothing is copied); to an actor on another node, in
/// chunks with acknowledgements through this system's transfer endpoint (<see cref="TransferEndpoint"/>), so
/// any size crosses a 16 MiB frame. Every other message is told directly. The receiving node's endpoint
/// delivers the message to its target with the original sender, so receivers handle it as any other.
/// Each process that takes part starts its endpoint (<see cref="Get"/>) before it can be sent anything large.
/// </summary>
public sealed class PayloadTransfer : IExtension
{
    /// <summary>The endpoint's name under <c>/system</c>: the same on every node, so a sender can address a receiver's.</summary>
    public const string EndpointName = "payload-transfer";

    private readonly IActorRef _endpoint;

    public PayloadTransfer(ExtendedActorSystem system)
    {
        Settings = TransferSettings.From(system.Settings.Config);
        _endpoint = system.SystemActorOf(TransferEndpoint.Props(Settings), EndpointName);
    }

    public TransferSettings Settings { get; }

    public static PayloadTransfer Get(ActorSystem system) => system.WithExtension<PayloadTransfer, PayloadTransferProvider>();

    /// <summary>Tells <paramref name="target"/> the <paramref name="message"/> from <paramref name="sender"/>; thread-safe.</summary>
    public void Tell(IActorRef target, object message, IActorRef sender)
    {
        if (message is TransferMessages.ILargeMessage && IsRemote(target)) _endpoint.Tell(new TransferEndpoint.Send(target, message, sender));
        else target.Tell(message, sender);
    }

    /// <summary>An actor of another process: its path carries a host (a local actor's path has none).</summary>
    public static bool IsRemote(IActorRef target) => target.Path.Address.HasGlobalScope;

    /// <summary>The endpoint of the node <paramref name="target"/> lives on.</summary>
    internal static ActorPath EndpointOf(IActorRef target) => new RootActorPath(target.Path.Address) / "system" / EndpointName;
}

public sealed class PayloadTransferProvider : ExtensionIdProvider<PayloadTransfer>
{
    public override PayloadTransfer CreateExtension(ExtendedActorSystem system) => new(system);
}
