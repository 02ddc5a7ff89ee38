namespace Coordinator.Cli.Node;

/// <summary>
/// How fast a lost node is noticed and removed: heartbeats every <see cref="HeartbeatInterval"/>, unreachable
/// after about <see cref="FailureTimeout"/> without them (phi above <see cref="Threshold"/>), downed by the split
/// brain resolver once membership has been stable for <see cref="DownAfter"/>.
/// </summary>
public sealed record FailureDetection(TimeSpan HeartbeatInterval, TimeSpan FailureTimeout, double Threshold, TimeSpan DownAfter);
