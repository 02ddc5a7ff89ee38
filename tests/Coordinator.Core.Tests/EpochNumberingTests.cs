using Coordinator.Core.Reporting;

namespace Coordinator.Core.Tests;

public sealed class EpochNumberingTests
{
    [Theory]
    [InlineData("val_loss did not improve for 8 epochs (best 0.1229 at epoch 12)", "val_loss did not improve for 8 epochs (best 0.1229 at epoch 11)")]
    [InlineData("Batch 3 of epoch 1: invalid loss nan, terminating training", "Batch 3 of epoch 0: invalid loss nan, terminating training")]
    [InlineData("Epoch 10: stopped", "Epoch 9: stopped")]
    [InlineData("max epochs", "max epochs")]
    [InlineData("for 3 epochs 4 times", "for 3 epochs 4 times")]
    public void A_screen_sentence_counts_epochs_from_0_in_files_and_back(string screen, string file)
    {
        Assert.Equal(file, EpochNumbering.ToFile(screen));
        Assert.Equal(screen, EpochNumbering.ToScreen(file));
    }
}
