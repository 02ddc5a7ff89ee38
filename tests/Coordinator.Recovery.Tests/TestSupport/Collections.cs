namespace Coordinator.Recovery.Tests.TestSupport;

// The tests that start the real executable come in two collections, so that on a 2-core machine two
// coordinator processes run side by side (xunit runs collections in parallel, each one's tests in turn),
// and never more: each process trains with every core it finds.
[CollectionDefinition(Name)]
public sealed class ProcessRunsA
{
    public const string Name = "coordinator processes A";
}

[CollectionDefinition(Name)]
public sealed class ProcessRunsB
{
    public const string Name = "coordinator processes B";
}
