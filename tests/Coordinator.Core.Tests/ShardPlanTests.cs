using Coordinator.Core.Data;

namespace Coordinator.Core.Tests;

public sealed class ShardPlanTests
{
    [Theory]
    [InlineData(100, 8, 3)]
    [InlineData(97, 5, 2)]
    [InlineData(10, 4, 4)]
    public void Every_sample_is_trained_once_per_epoch_by_exactly_one_worker(int n, int batch, int workers)
    {
        var plan = new ShardPlan(n, batch, workers, seed: 5);
        var order = plan.EpochOrder(3);
        var seen = new List<int>();
        for (var step = 0; step < plan.StepsPerEpoch; step++)
            for (var w = 0; w < workers; w++)
            {
                var b = plan.Batch(order, step, w);
                Assert.True(b.Length <= batch);
                seen.AddRange(b);
            }
        Assert.Equal(Enumerable.Range(0, n), seen.Order());
    }

    [Fact]
    public void N_workers_with_batch_b_see_the_samples_of_one_worker_with_batch_n_times_b()
    {
        var two = new ShardPlan(90, 6, 2, seed: 1);
        var one = new ShardPlan(90, 12, 1, seed: 1);
        Assert.Equal(one.StepsPerEpoch, two.StepsPerEpoch);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(one.EpochOrder(epoch), two.EpochOrder(epoch));
            var order = one.EpochOrder(epoch);
            for (var step = 0; step < one.StepsPerEpoch; step++)
                Assert.Equal(one.Batch(order, step, 0).Order(), two.Batch(order, step, 0).Concat(two.Batch(order, step, 1)).Order());
        }
    }

    [Fact]
    public void The_order_of_an_epoch_depends_on_seed_and_epoch_alone()
    {
        Assert.Equal(SeededOrder.Permutation(50, 7, 2), SeededOrder.Permutation(50, 7, 2));
        Assert.NotEqual(SeededOrder.Permutation(50, 7, 2), SeededOrder.Permutation(50, 7, 3));
        Assert.NotEqual(SeededOrder.Permutation(50, 7, 2), SeededOrder.Permutation(50, 8, 2));
        Assert.Equal(Enumerable.Range(0, 50), SeededOrder.Permutation(50, 7, 2).Order());
    }

    [Fact]
    public void More_workers_than_samples_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardPlan(3, 1, 4, 0));
        Assert.Contains("3 training samples", e.Message);
    }

    [Fact]
    public void The_split_is_seeded_and_disjoint()
    {
        var all = new Dataset("d", Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), Enumerable.Range(0, 100).Select(i => i % 2).ToArray(), 1, 2);
        var a = DataSplitter.Split(all, 0.2, 9);
        var b = DataSplitter.Split(all, 0.2, 9);
        Assert.Equal(a.Validation.Features, b.Validation.Features);
        Assert.Equal((80, 20), (a.Train.Count, a.Validation.Count));
        Assert.Empty(a.Train.Features.Intersect(a.Validation.Features));
    }
}
