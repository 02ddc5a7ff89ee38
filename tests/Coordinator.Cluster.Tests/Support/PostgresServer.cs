using Npgsql;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>
/// The PostgreSQL server the journal tests use: COORDINATOR_TEST_POSTGRES, a connection string for a role
/// that may create databases (.ci/run installs and starts PostgreSQL and exports it); unset, the same
/// local server .ci/run provisions. A server that cannot be reached fails the tests, saying how to get
/// one; only COORDINATOR_TEST_POSTGRES=skip skips them.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "COORDINATOR_TEST_POSTGRES";

    /// <summary>The role and server .ci/run sets up.</summary>
    public const string Default = "Host=127.0.0.1;Port=5432;Username=coordinator_test;Password=coordinator_test;Database=postgres";

    public static bool Skipped => string.Equals(Environment.GetEnvironmentVariable(Variable), "skip", StringComparison.OrdinalIgnoreCase);

    public static string AdminConnection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : Default;

    public static NpgsqlConnection Open() => Open(AdminConnection);

    /// <summary>An open connection, or an exception that says how to get a server.</summary>
    public static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            connection.Dispose();
            var shown = new NpgsqlConnectionStringBuilder(connectionString) { Password = "***" }.ConnectionString;
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {shown} ({e.GetBaseException().Message}). These tests need it: .ci/run installs, starts and " +
                $"provisions it; or start one and set {Variable} to a connection string of a role that can create databases. " +
                $"{Variable}=skip skips them (never in CI).", e);
        }
    }
}

/// <summary>A [Fact] on PostgreSQL: skipped only when COORDINATOR_TEST_POSTGRES=skip says so.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Skipped) Skip = $"{PostgresServer.Variable}=skip: no PostgreSQL here";
    }
}

/// <summary>A new, empty database for one test, dropped afterwards.</summary>
public sealed class FreshDatabase : IDisposable
{
    public FreshDatabase()
    {
        Name = $"coordinator_test_{Guid.NewGuid():N}";
        using var admin = PostgresServer.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
        create.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(PostgresServer.AdminConnection) { Database = Name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        using var admin = PostgresServer.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    }
}
