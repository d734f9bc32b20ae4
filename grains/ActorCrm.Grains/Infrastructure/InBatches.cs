namespace ActorCrm.Grains.Infrastructure;

internal static class InBatches
{
    /// <summary>
    /// Runs <paramref name="run"/> over the items a batch of <paramref name="maxInFlight"/> at a time, on
    /// the caller's scheduler (a grain's: no thread-pool hop), so a checkpoint of hundreds of chunks
    /// does not queue them all at once behind the storage connections (each would then wait out its
    /// request timeout there) and the appends of other partitions get their turn between batches.
    /// </summary>
    public static async Task<TResult[]> RunAsync<T, TResult>(IReadOnlyList<T> items, int maxInFlight, Func<T, Task<TResult>> run)
    {
        var results = new List<TResult>(items.Count);
        foreach (var batch in items.Chunk(maxInFlight)) results.AddRange(await Task.WhenAll(batch.Select(run)));
        return [.. results];
    }
}
