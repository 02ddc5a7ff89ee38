using System.Globalization;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>A coordinator trial as a run configuration (HOCON), the input <c>coordinator train --config</c> takes.</summary>
public static class RunConfigText
{
    public static string For(TrialSpec spec)
    {
        var inv = CultureInfo.InvariantCulture;
        var callbacks = spec.Persistence == PersistenceLevel.Full
            ? """{ type = model-checkpoint, filepath = "ckpt-{epoch:02d}-{val_loss:.4f}.weights", monitor = val_loss, save-best-only = false, save-top-k = 3 }"""
            : "";
        var akka = new List<string>();
        if (spec.Persistence == PersistenceLevel.Off)
        {
            akka.Add("""persistence.journal.plugin = "akka.persistence.journal.inmem" """);
            akka.Add("""persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem" """);
        }
        if (spec.CountTraffic)
        {
            akka.Add("actor.serialize-messages = on");
            akka.Add($"actor.serializers.coordinator = \"{typeof(CountingSerializer).FullName}, {typeof(CountingSerializer).Assembly.GetName().Name}\"");
        }
        return $$"""
            # Written by coordinator-bench for the trial "{{spec.Name}}".
            data {
              path = "{{spec.DataPath.Replace("\\", "\\\\").Replace("\"", "\\\"")}}"
              header-lines = {{Workload.Format.HeaderLines}}
              scale = {{Workload.Format.Scale.ToString(inv)}}
              validation-split = {{Workload.ValidationSplit.ToString(inv)}}
              shuffle = true
            }
            model {
              hidden = [{{string.Join(", ", spec.Hidden)}}]
              activation = relu
              dropout = {{spec.Dropout.ToString(inv)}}
            }
            optimizer {
              type = sgd
              learning-rate = {{spec.LearningRate.ToString(inv)}}
              momentum = {{spec.Momentum.ToString(inv)}}
            }
            training {
              epochs = {{spec.Epochs}}
              batch-size = {{spec.BatchSize}}
              workers = {{spec.Workers}}
              seed = {{spec.Seed.ToString(inv)}}
              sync = {{spec.Sync}}
              sync-every = {{spec.SyncEvery}}
              epoch-timeout = 10m
              threads-per-worker = {{spec.Threads}}
              snapshot-every = {{(spec.Persistence == PersistenceLevel.Full ? 10 : 100)}}
            }
            callbacks = [{{callbacks}}]
            {{(akka.Count == 0 ? "" : "akka {\n" + string.Join("\n", akka.Select(a => "  " + a.Trim())) + "\n}")}}
            """;
    }
}
