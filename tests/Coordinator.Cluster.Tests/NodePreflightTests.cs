using Coordinator.Cli.Node;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Cluster.Tests;

/// <summary>What a node checks on the machine before it starts: shared storage, run configuration, data, certificates.</summary>
public sealed class NodePreflightTests(Certificates certificates) : IClassFixture<Certificates>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private NodeInputs Supervisor(string? shared = null, string? run = null) =>
        NodeInputs.Worker().Env("COORDINATOR_ROLES", "supervisor")
            .Env("COORDINATOR_SHARED", shared ?? _temp.Folder("shared"))
            .Env("COORDINATOR_RUN", run ?? TestFiles.DigitsConf)
            .Env("COORDINATOR_JOURNAL", "Host=127.0.0.1;Database=coordinator");

    private static NodeOptionError Refused(NodeInputs inputs) => Assert.Throws<NodeOptionError>(() => NodePreflight.Check(inputs.Read()));

    [Fact]
    public void A_supervisor_with_a_writable_shared_folder_and_a_readable_run_passes_and_leaves_nothing_behind()
    {
        var shared = _temp.Folder("shared");
        Assert.Null(NodePreflight.Check(Supervisor(shared).Read()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(shared));
    }

    [Fact]
    public void A_missing_shared_folder_or_a_file_in_its_place_is_refused()
    {
        var missing = _temp.Combine("nowhere");
        Assert.Equal($"--shared / COORDINATOR_SHARED = \"{missing}\": the shared storage folder does not exist (mount it, or create it, on every supervisor node)",
            Refused(Supervisor(missing)).Message);

        var file = _temp.File("shared-file", "x");
        Assert.EndsWith("is a file; the shared storage must be a folder", Refused(Supervisor(file)).Message);
    }

    [Fact]
    public void A_shared_folder_this_process_cannot_write_is_refused()
    {
        // /proc/self is a folder nobody can create files in, root included.
        var e = Refused(Supervisor("/proc/self"));
        Assert.StartsWith("--shared / COORDINATOR_SHARED = \"/proc/self\": the shared storage folder is not writable by this process", e.Message);
    }

    [Fact]
    public void A_run_configuration_that_is_missing_invalid_or_whose_data_cannot_be_read_is_refused()
    {
        var missing = _temp.Combine("missing.conf");
        Assert.Equal($"--run / COORDINATOR_RUN = \"{missing}\": the run configuration file does not exist", Refused(Supervisor(run: missing)).Message);

        var invalid = _temp.File("invalid.conf", "training { epochs = many }\ndata { path = x.csv }");
        Assert.StartsWith($"--run / COORDINATOR_RUN = \"{invalid}\": not a usable run configuration: training.epochs", Refused(Supervisor(run: invalid)).Message);

        var noData = _temp.File("no-data.conf", "data { path = \"absent.csv.gz\" }");
        Assert.Equal($"--run / COORDINATOR_RUN = \"{noData}\": its data file {_temp.Combine("absent.csv.gz")} cannot be read: Could not find file '{_temp.Combine("absent.csv.gz")}'.",
            Refused(Supervisor(run: noData)).Message);
    }

    [Fact]
    public void A_worker_is_not_asked_for_shared_storage_or_a_run()
    {
        Assert.Null(NodePreflight.Check(NodeInputs.Worker().Env("COORDINATOR_SHARED", _temp.Combine("nowhere")).Read()));
    }

    [Fact]
    public void The_health_file_needs_an_existing_folder()
    {
        var file = _temp.Combine("no-folder", "up");
        var e = Refused(NodeInputs.Worker().Env("COORDINATOR_HEALTH_FILE", file));
        Assert.Equal($"--health-file / COORDINATOR_HEALTH_FILE = \"{file}\": its folder does not exist", e.Message);
    }

    private NodeInputs Tls(string pfx, string? password = Certificates.Password, string? ca = null) =>
        NodeInputs.Worker().Env("COORDINATOR_TLS", "on").Env("COORDINATOR_TLS_CERT", pfx)
            .Env("COORDINATOR_TLS_PASSWORD", password).Env("COORDINATOR_TLS_CA", ca ?? certificates.ClusterCa);

    [Fact]
    public void A_certificate_issued_by_the_cluster_ca_loads_with_its_key()
    {
        var tls = NodePreflight.Check(Tls(certificates.Node("node-a")).Read())!;
        Assert.Equal("CN=node-a, O=Coordinator", tls.Certificate.Subject);
        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.StartsWith("CN=Coordinator cluster CA", tls.Ca.Subject);
    }

    [Fact]
    public void A_certificate_from_another_ca_or_self_signed_is_refused_at_start()
    {
        var other = Refused(Tls(certificates.OtherCaIntruder));
        Assert.StartsWith($"--tls-cert / COORDINATOR_TLS_CERT = \"{certificates.OtherCaIntruder}\": CN=intruder, O=Coordinator is not a certificate the cluster accepts: not issued by the cluster CA", other.Message);

        var self = Refused(Tls(certificates.SelfSigned));
        Assert.Contains("CN=self-signed-intruder, O=Coordinator is not a certificate the cluster accepts", self.Message);
    }

    [Fact]
    public void A_wrong_password_or_an_unreadable_ca_is_refused_naming_the_field()
    {
        var password = Refused(Tls(certificates.Node("node-a"), password: "wrong"));
        Assert.StartsWith($"--tls-cert / COORDINATOR_TLS_CERT = \"{certificates.Node("node-a")}\": a PKCS#12 (.pfx) file with the node's certificate and key, opened with COORDINATOR_TLS_PASSWORD", password.Message);
        Assert.DoesNotContain("wrong", password.Message);

        var ca = _temp.File("ca.crt", "not a certificate");
        Assert.StartsWith($"--tls-ca / COORDINATOR_TLS_CA = \"{ca}\": a CA certificate file (PEM or DER) that can be read", Refused(Tls(certificates.Node("node-a"), ca: ca)).Message);
    }
}
