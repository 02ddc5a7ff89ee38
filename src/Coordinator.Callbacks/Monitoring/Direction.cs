namespace Coordinator.Callbacks.Monitoring;

/// <summary>Whether a monitored metric improves by going down or up.</summary>
public enum Direction
{
    Minimize,
    Maximize,
}
