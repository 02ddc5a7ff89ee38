namespace Coordinator.Core.Data;

/// <summary>A seeded train/validation split (stream 0 of the seed; epochs use 1, 2, ...).</summary>
public static class DataSplitter
{
    public static DataSplit Split(Dataset all, double validationFraction, long seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "must be between 0 and 1");
        var order = SeededOrder.Permutation(all.Count, seed, stream: -1);
        var validationCount = Math.Max(1, (int)Math.Round(all.Count * validationFraction));
        var validation = order[..validationCount].Order().ToArray();
        var train = order[validationCount..].Order().ToArray();
        return new DataSplit(all.Select(train, all.Name + " (train)"), all.Select(validation, all.Name + " (validation)"));
    }
}
