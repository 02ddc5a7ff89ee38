using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>
/// Certificates made once per test class by the shipped scripts/make-certs.sh: the cluster's CA with
/// node-a and node-b, a second CA ("another cluster") with intruder, and a self-signed intruder.
/// </summary>
public sealed class Certificates : IDisposable
{
    public const string Password = "cluster-test";

    private readonly TempFolder _folder = new();

    public Certificates()
    {
        var env = new Dictionary<string, string> { ["COORDINATOR_TLS_PASSWORD"] = Password };
        TestFiles.Bash(TestFiles.Repo("scripts/make-certs.sh"), env, Cluster, "node-a", "node-b");
        TestFiles.Bash(TestFiles.Repo("scripts/make-certs.sh"), env, Other, "intruder");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self-signed-intruder, O=Coordinator", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(SelfSigned, self.Export(X509ContentType.Pkcs12, Password));
    }

    public string Cluster => _folder.Combine("cluster");

    public string Other => _folder.Combine("other");

    public string ClusterCa => Path.Combine(Cluster, "ca.crt");

    public string Node(string name) => Path.Combine(Cluster, $"{name}.pfx");

    public string OtherCaIntruder => Path.Combine(Other, "intruder.pfx");

    public string SelfSigned => _folder.Combine("self-signed.pfx");

    public X509Certificate2 Load(string pfx) => X509CertificateLoader.LoadPkcs12FromFile(pfx, Password);

    public X509Certificate2 LoadClusterCa() => X509CertificateLoader.LoadCertificateFromFile(ClusterCa);

    public void Dispose() => _folder.Dispose();
}
