namespace Coordinator.Callbacks;

/// <summary>A callback could not decide during a run (a schedule yielded a bad rate, a file name
/// template names a metric that is not in the logs).</summary>
public sealed class CallbackException(string callback, string message) : Exception($"{callback}: {message}")
{
    public string Callback { get; } = callback;
}
