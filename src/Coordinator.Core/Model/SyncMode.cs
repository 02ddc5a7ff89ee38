namespace Coordinator.Core.Model;

/// <summary>How the workers keep their replicas in sync.</summary>
public enum SyncMode
{
    /// <summary>Every step, average the gradients (weighted by batch sizes): replicas stay identical.</summary>
    Gradients,
    /// <summary>Local SGD: average the parameters every <c>sync-every</c> steps and at every epoch end.</summary>
    Parameters,
}
