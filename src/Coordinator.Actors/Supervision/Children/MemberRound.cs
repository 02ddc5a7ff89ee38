using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Supervision.Children;

/// <summary>
/// One round of requests to members (capture weights or a state, hash a state, load one, evaluate, abort
/// an epoch): the supervisor sends the requests on this actor's behalf (at once, so that they reach the
/// workers before anything the supervisor does next), this actor collects the answers and hands them to
/// the supervisor in target order once every target still a member has answered. The supervisor tells it of a target lost meanwhile; it no longer waits for that one, or,
/// for work split by rank, gives up so that the supervisor can ask the remaining ones again.
/// </summary>
internal sealed class MemberRound : ReceiveActor
{
    /// <param name="IsAnswer">Whether a message is the answer to this round's request.</param>
    /// <param name="GiveUpOnLoss">A lost target invalidates every rank: report the round interrupted.</param>
    public sealed record Spec(object Purpose, IReadOnlyList<IActorRef> Targets, Func<object, bool> IsAnswer, bool GiveUpOnLoss = false);

    /// <summary>The round is over: the targets that answered and their answers, in the same order (none if interrupted).</summary>
    public sealed record Completed(object Purpose, IReadOnlyList<IActorRef> Answered, IReadOnlyList<object> Answers, bool Interrupted)
        : INoSerializationVerificationNeeded;

    /// <summary>From the supervisor: a target is no longer a member (its loss is recorded).</summary>
    public sealed record TargetLost(IActorRef Worker) : INoSerializationVerificationNeeded;

    private readonly Spec _spec;
    private readonly List<IActorRef> _waiting;
    private readonly Dictionary<IActorRef, object> _answers = [];

    public MemberRound(Spec spec)
    {
        _spec = spec;
        _waiting = spec.Targets.ToList();
        Receive<TargetLost>(lost =>
        {
            if (!_waiting.Remove(lost.Worker)) return;
            if (spec.GiveUpOnLoss) Complete(interrupted: true);
            else CompleteIfAnswered();
        });
        // A request (weights, a state) that could not reach its worker: the supervisor counts the worker as failed.
        Receive<TransferMessages.TransferFailed>(f => Context.Parent.Tell(f));
        Receive<object>(m => spec.IsAnswer(m) && _waiting.Contains(Sender), answer =>
        {
            _answers[Sender] = answer;
            CompleteIfAnswered();
        });
    }

    public static Props Props(Spec spec) => Akka.Actor.Props.Create(() => new MemberRound(spec));

    /// <summary>Whether <paramref name="answer"/> answers the worker request <paramref name="id"/>.</summary>
    public static bool Answers(object answer, long id) => answer switch
    {
        WorkerReports.WeightsCaptured w => w.RequestId == id,
        WorkerReports.TrainingStateCaptured c => c.RequestId == id,
        WorkerReports.TrainingStateHashed h => h.RequestId == id,
        WorkerReports.TrainingStateLoaded l => l.RequestId == id,
        WorkerReports.WeightsLoaded l => l.RequestId == id,
        WorkerReports.Evaluated e => e.RequestId == id,
        _ => false,
    };

    protected override void PreStart() => CompleteIfAnswered(); // a round with no targets is over at once

    private void CompleteIfAnswered()
    {
        if (_waiting.All(_answers.ContainsKey)) Complete(interrupted: false);
    }

    private void Complete(bool interrupted)
    {
        Context.Parent.Tell(interrupted
            ? new Completed(_spec.Purpose, [], [], true)
            : new Completed(_spec.Purpose, _waiting.ToList(), _waiting.Select(w => _answers[w]).ToList(), false));
        Context.Stop(Self);
    }
}
