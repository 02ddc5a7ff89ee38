using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Callbacks;
using Coordinator.Configuration;

namespace Coordinator.Cli.Node;

/// <summary>
/// Checks, before a node starts, what its options point at on this machine: on a supervisor node the
/// shared folder (there and writable), the run configuration (readable, valid) and its data file
/// (readable); the health file's folder; with TLS, the certificate (loads, has its key, issued by the
/// cluster CA) and the CA. A node that would fail later fails now, with a <see cref="NodeOptionError"/>.
/// </summary>
public static class NodePreflight
{
    public static NodeTlsMaterial? Check(NodeOptions options)
    {
        if (options.IsSupervisor)
        {
            CheckShared(options.SharedPath!);
            CheckRun(options.RunPath!);
        }
        if (options.HealthFile is { } health && !Directory.Exists(Path.GetDirectoryName(health)))
            throw new NodeOptionError(NodeFields.HealthFile, Quote(health), "", "its folder does not exist");
        return options.Tls is { } tls ? LoadTls(tls) : null;
    }

    private static void CheckShared(string path)
    {
        var field = NodeFields.Shared;
        if (File.Exists(path)) throw new NodeOptionError(field, Quote(path), "", "is a file; the shared storage must be a folder");
        if (!Directory.Exists(path))
            throw new NodeOptionError(field, Quote(path), "", "the shared storage folder does not exist (mount it, or create it, on every supervisor node)");
        var probe = Path.Combine(path, $".coordinator-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "coordinator node write check\n");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(field, Quote(path), "", $"the shared storage folder is not writable by this process: {e.Message}");
        }
    }

    private static void CheckRun(string path)
    {
        var field = NodeFields.Run;
        if (!File.Exists(path)) throw new NodeOptionError(field, Quote(path), "", "the run configuration file does not exist");
        RunConfig run;
        try
        {
            run = RunConfigReader.ReadFile(path);
        }
        catch (Exception e) when (e is ConfigurationError or CallbackConfigurationException or IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(field, Quote(path), "", $"not a usable run configuration: {(e is ConfigurationError c ? c.Detail : e.Message)}");
        }
        var data = run.Settings.Data.Path;
        try
        {
            using var stream = File.OpenRead(data);
            _ = stream.ReadByte();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(field, Quote(path), "", $"its data file {data} cannot be read: {e.Message}");
        }
    }

    private static NodeTlsMaterial LoadTls(NodeTlsOptions tls)
    {
        X509Certificate2 ca;
        try
        {
            ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(NodeFields.TlsCa, Quote(tls.CaPath), "", $"a CA certificate file (PEM or DER) that can be read: {e.Message}");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new NodeOptionError(NodeFields.TlsCertificate, Quote(tls.CertificatePath), "",
                $"a PKCS#12 (.pfx) file with the node's certificate and key, opened with {NodeFields.TlsPassword.Variable}: {e.Message}");
        }
        if (!certificate.HasPrivateKey)
            throw new NodeOptionError(NodeFields.TlsCertificate, Quote(tls.CertificatePath), "", "holds no private key; the .pfx must contain the node's key");
        if (ClusterCertificateValidator.Problem(certificate, ca) is { } problem)
            throw new NodeOptionError(NodeFields.TlsCertificate, Quote(tls.CertificatePath), "",
                $"{certificate.Subject} is not a certificate the cluster accepts: {problem} (CA from {NodeFields.TlsCa.Variable})");
        return new NodeTlsMaterial(certificate, ca);
    }

    private static string Quote(string text) => $"\"{text}\"";
}
