// Each test class starts its own Chromium and each test its own host; on a small CI machine they run one
// at a time, so page timings stay far from the timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
