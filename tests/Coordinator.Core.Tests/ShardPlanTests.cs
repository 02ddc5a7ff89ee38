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
        var plan = ShardPlan.PerWorker(n, batch, workers, seed: 5);
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
        var two = ShardPlan.PerWorker(90, 6, 2, seed: 1);
        var one = ShardPlan.PerWorker(90, 12, 1, seed: 1);
        Assert.Equal(one.StepsPerEpoch, two.StepsPerEpoch);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(one.EpochOrder(epoch), two.EpochOrder(epoch));
            var order = one.EpochOrder(epoch);
            for (var step = 0; step < one.StepsPerEpoch; step++)
                Assert.Equal(one.Batch(order, step, 0).Order(), two.Batch(order, step, 0).Concat(two.Batch(order, step, 1)).Order());
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Members_sharing_a_fixed_global_batch_train_the_same_steps_on_the_same_samples(int members)
    {
        // The run was configured for 3 workers of 4; a loss leaves 2, joiners make 5: still 12 per step.
        var configured = ShardPlan.PerWorker(100, 4, 3, seed: 2);
        var now = new ShardPlan(100, configured.GlobalBatch, members, seed: 2);
        Assert.Equal((12, 9), (now.GlobalBatch, now.StepsPerEpoch));
        var order = configured.EpochOrder(4);
        for (var step = 0; step < configured.StepsPerEpoch; step++)
        {
            var shares = Enumerable.Range(0, members).Select(m => now.Batch(order, step, m)).ToList();
            Assert.Equal(Enumerable.Range(0, 3).SelectMany(w => configured.Batch(order, step, w)).Order(), shares.SelectMany(b => b).Order());
            Assert.True(shares.Max(b => b.Length) - shares.Min(b => b.Length) <= 1, "the shares differ by at most one sample");
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
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.PerWorker(3, 1, 4, 0));
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

    [Fact]
    public void A_global_batch_far_above_the_training_set_is_one_step_of_every_sample()
    {
        var plan = new ShardPlan(10, int.MaxValue, 2, seed: 1);
        var order = plan.EpochOrder(0);
        Assert.Equal(1, plan.StepsPerEpoch);
        Assert.Equal(order.Where((_, i) => i % 2 == 1), plan.Batch(order, 0, 1));
        Assert.Equal(5, plan.Batch(order, 0, 0).Length);
    }
}
