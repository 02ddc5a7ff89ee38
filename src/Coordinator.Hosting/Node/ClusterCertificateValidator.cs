using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Coordinator.Cli.Node;

/// <summary>
/// Trust in a cluster: a peer is accepted when its certificate chains to the cluster CA, and to nothing else.
/// Akka's own validator (<c>CertificateValidation.ValidateChain</c>) accepts anything the system's public CAs
/// vouch for and nothing a private CA issued; this one builds the chain with the cluster CA as its only root,
/// and requires the certificate to be valid now and usable for both TLS server and client authentication
/// (every node is both). Host names are not checked: the identity is "issued by the cluster CA".
/// </summary>
public static class ClusterCertificateValidator
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The callback for <see cref="DotNettySslSetup"/>: logs every refusal as a warning naming the peer and why.</summary>
    public static CertificateValidationCallback Create(X509Certificate2 ca) =>
        (certificate, presented, peer, _, log) =>
        {
            var problem = certificate is null ? "it presented no certificate" : Problem(certificate, ca, presented);
            if (problem is null) return true;
            log.Warning("TLS: refused {0} ({1}): {2}", peer, certificate?.Subject ?? "no certificate", problem);
            return false;
        };

    /// <summary>Why <paramref name="certificate"/> is not a cluster certificate, or null if it is one.</summary>
    public static string? Problem(X509Certificate2 certificate, X509Certificate2 ca, X509Chain? presented = null)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(ca);
        policy.RevocationMode = X509RevocationMode.NoCheck; // a private CA publishes no revocation lists
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(ServerAuthentication);
        policy.ApplicationPolicy.Add(ClientAuthentication);
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (!element.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
                    policy.ExtraStore.Add(element.Certificate); // intermediates the peer sent along
        if (!chain.Build(certificate))
        {
            var reasons = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            return $"not issued by the cluster CA ({ca.Subject}): {string.Join("; ", reasons)}";
        }
        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span)
            ? null
            : $"its chain ends at {root.Subject}, not at the cluster CA ({ca.Subject})";
    }
}
