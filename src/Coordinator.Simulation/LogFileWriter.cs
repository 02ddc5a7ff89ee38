using Coordinator.Callbacks;
using Coordinator.Core.Storage;

namespace Coordinator.Simulation;

/// <summary>Carries out a CSV logger's <see cref="LogLineWriteRequested"/> on the file system.</summary>
public static class LogFileWriter
{
    public static void Apply(LogLineWriteRequested write) => LogFile.Append(write.Path, write.Header, write.Row, write.Truncate);
}
