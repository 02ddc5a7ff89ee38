using Akka.Actor;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// The run's workers: members (in ring order, the order they joined) and joiners waiting for the
/// next epoch, each with the name it registered under. Pure bookkeeping for the supervisor.
/// </summary>
internal sealed class Membership
{
    private readonly List<(IActorRef Worker, string Name)> _members = [];
    private readonly List<(IActorRef Worker, string Name)> _joiners = [];

    public int Count => _members.Count;

    /// <summary>Members and joiners: what max-workers limits.</summary>
    public int Total => _members.Count + _joiners.Count;

    public IReadOnlyList<IActorRef> Ring => _members.Select(m => m.Worker).ToList();

    /// <summary>The members' names, in ring order.</summary>
    public IReadOnlyList<string> Names => _members.Select(m => m.Name).ToList();

    public IReadOnlyList<IActorRef> Joiners => _joiners.Select(m => m.Worker).ToList();

    public IReadOnlyList<string> JoinerNames => _joiners.Select(m => m.Name).ToList();

    public IEnumerable<IActorRef> Everyone => _members.Concat(_joiners).Select(m => m.Worker);

    public bool HasJoiners => _joiners.Count > 0;

    public bool IsMember(IActorRef worker) => _members.Any(m => m.Worker.Equals(worker));

    public bool Knows(IActorRef worker) => Everyone.Contains(worker);

    public string NameOf(IActorRef worker) =>
        _members.Concat(_joiners).FirstOrDefault(m => m.Worker.Equals(worker)).Name ?? worker.Path.Name;

    public void AddMember(IActorRef worker, string name) => _members.Add((worker, name));

    /// <summary>Puts the members in name order (numbers compared as numbers), so the ranks of a run's first
    /// workers do not depend on the order their registrations arrived in.</summary>
    public void SortByName() =>
        _members.Sort((a, b) => NaturalOrder.Compare(a.Name, b.Name));

    public void AddJoiner(IActorRef worker, string name) => _joiners.Add((worker, name));

    /// <summary>Joiners become members (at the end of the ring); returns their names.</summary>
    public IReadOnlyList<string> Admit()
    {
        var names = _joiners.Select(j => j.Name).ToList();
        _members.AddRange(_joiners);
        _joiners.Clear();
        return names;
    }

    /// <summary>Removes a member or joiner; returns whether it was a member (false: a joiner, or unknown).</summary>
    private static class NaturalOrder
    {
        public static int Compare(string a, string b)
        {
            var (x, y) = (Key(a), Key(b));
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = x[i].Number is { } n && y[i].Number is { } m ? n.CompareTo(m) : string.CompareOrdinal(x[i].Text, y[i].Text);
                if (c != 0) return c;
            }
            return x.Count.CompareTo(y.Count);
        }

        private static List<(string Text, long? Number)> Key(string s) =>
            System.Text.RegularExpressions.Regex.Matches(s, @"\d+|\D+")
                .Select(m => (m.Value, char.IsDigit(m.Value[0]) && m.Value.Length < 18 ? long.Parse(m.Value) : (long?)null)).ToList();
    }

    public bool Remove(IActorRef worker)
    {
        _joiners.RemoveAll(j => j.Worker.Equals(worker));
        return _members.RemoveAll(m => m.Worker.Equals(worker)) > 0;
    }
}
