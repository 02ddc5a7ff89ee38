namespace Coordinator.Cli.Node;

/// <summary>A seed node's address as given (<c>host:port</c>); the scheme and system name are added by <see cref="NodeConfig"/>.</summary>
public sealed record SeedNode(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
