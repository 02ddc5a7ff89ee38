namespace Coordinator.Cli.Node;

/// <summary>TLS between nodes: this node's certificate (PKCS#12, with its key) and the cluster CA every peer's
/// certificate must chain to. Both sides of every connection present and check a certificate.</summary>
public sealed record NodeTlsOptions(string CertificatePath, string? Password, string CaPath);
