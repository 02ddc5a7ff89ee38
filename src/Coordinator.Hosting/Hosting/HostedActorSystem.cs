using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// An actor system composed with Akka.Hosting (<c>AddAkka</c>): the configuration as HOCON (built from the user's
/// HOCON files as before, <see cref="AkkaConfig"/>), the setups (log filter, TLS), and the actors <c>actors</c>
/// starts, registered in its <see cref="ActorRegistry"/>. The process's signals stay the caller's: no console
/// lifetime, so Ctrl+C and SIGTERM mean what <c>train</c> and <c>node</c> make of them.
/// </summary>
public sealed class HostedActorSystem : IDisposable
{
    private readonly IHost _host;

    private HostedActorSystem(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Registry = host.Services.GetRequiredService<ActorRegistry>();
    }

    public ActorSystem System { get; }

    public ActorRegistry Registry { get; }

    /// <summary>Starts the system; one that cannot start (a port in use, bad settings) throws here, nothing printed.</summary>
    public static HostedActorSystem Start(string name, Config config, IEnumerable<Setup> setups, Action<ActorSystem, IActorRegistry>? actors = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IHostLifetime, CallerLifetime>();
                services.AddAkka<QuietStartAkkaService>(name, (akka, _) =>
                {
                    akka.AddHocon(config, HoconAddMode.Prepend);
                    foreach (var setup in setups) akka.AddSetup(setup);
                    if (actors is not null) akka.StartActors(actors);
                });
            })
            .Build();
        try
        {
            host.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new HostedActorSystem(host);
    }

    /// <summary>Runs the system's coordinated shutdown (as Akka.Hosting stops it), waiting at most <paramref name="timeout"/>.</summary>
    public void Stop(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            _host.StopAsync(limit.Token).Wait(timeout);
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
        }
    }

    public void Dispose() => _host.Dispose();

    // The host would otherwise take SIGINT / SIGTERM (ConsoleLifetime) and stop the system on its own.
    private sealed class CallerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // Creates the system before Akka.Hosting's service starts it: a failure then reaches the caller as an
    // exception, instead of being written to the console with its stack trace first.
    private sealed class QuietStartAkkaService(
        AkkaConfigurationBuilder builder, IServiceProvider services, Microsoft.Extensions.Logging.ILogger<AkkaHostedService> logger,
        IHostApplicationLifetime? lifetime) : AkkaHostedService(builder, services, logger, lifetime)
    {
        public override Task StartAsync(CancellationToken cancellationToken)
        {
            _ = ServiceProvider.GetRequiredService<ActorSystem>();
            return base.StartAsync(cancellationToken);
        }
    }
}
