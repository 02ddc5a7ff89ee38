namespace Coordinator.Actors.Workers;

/// <summary>Sums a vector across all workers (blocking the calling training thread).</summary>
internal interface IAllreduce
{
    float[] Sum(long round, float[] vector);
}
