namespace Coordinator.Callbacks;

/// <summary>How a monitored metric is judged, as Keras's <c>mode</c> argument.</summary>
public enum MonitorMode
{
    Auto,
    Min,
    Max,
}
