using System.Text.Json.Serialization;
using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary>Source-generated JSON for <c>summary.json</c>: snake_case names, lower-case status,
/// non-finite numbers as <c>null</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    Converters = [typeof(FiniteDoubleConverter), typeof(RunStatusConverter)])]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
