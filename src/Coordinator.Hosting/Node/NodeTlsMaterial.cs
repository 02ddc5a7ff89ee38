using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Cli.Node;

/// <summary>This node's certificate (with its private key) and the cluster CA, loaded and checked by <see cref="NodePreflight"/>.</summary>
public sealed record NodeTlsMaterial(X509Certificate2 Certificate, X509Certificate2 Ca);
