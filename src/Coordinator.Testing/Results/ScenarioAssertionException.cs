namespace Coordinator.Testing.Results;

/// <summary>A scenario assertion that does not hold; the message says what happened instead.</summary>
public sealed class ScenarioAssertionException(string message) : Xunit.Sdk.XunitException(message);
