using System.Text.Json.Nodes;

namespace Coordinator.Actors.Serialization.Legacy;

/// <summary>
/// <c>run-state-snapshot.v1</c>: the <see cref="State.RunState"/> of a run whose <c>RunCompleted</c> was
/// <c>run-completed.v1</c> (see <see cref="RunCompletedV1"/>). Read only: the one difference, the names in
/// <c>completed.final</c>, is rewritten to the logs' names, and the rest reads as the current shape.
/// </summary>
internal static class RunStateSnapshotV1
{
    public static byte[] Upcast(byte[] bytes)
    {
        if (JsonNode.Parse(bytes) is not JsonObject state || state["completed"]?["final"] is not JsonObject final) return bytes;
        var logs = new JsonObject();
        foreach (var (field, log) in FinalMetricsV1.Fields)
            if (final[field] is { } value) logs[log] = value.DeepClone();
        state["completed"]!["final"] = logs;
        return System.Text.Encoding.UTF8.GetBytes(state.ToJsonString());
    }
}
