// TorchSharp's seed, default dtype and thread count are process-wide: tests that train with a fixed seed must not
// run beside each other, or their numbers (and thresholds) depend on scheduling.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
