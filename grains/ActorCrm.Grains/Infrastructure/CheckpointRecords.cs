namespace ActorCrm.Grains.Infrastructure;

/// <summary>
/// The two storage steps every log-structured checkpoint shares (directory, profile and revenue
/// partitions): writing the records that changed, and deleting the ones nothing reads any longer.
/// Both run a few requests at a time, on the caller's scheduler (a grain's: no thread-pool hop), so a
/// checkpoint of hundreds of chunks does not queue them all behind the storage connections, where
/// each would wait out its request timeout while other partitions' appends wait behind them.
/// </summary>
internal static class CheckpointRecords
{
    private const int InFlight = 8;

    /// <summary>
    /// Writes a copy of every record in <paramref name="dirty"/> (taken before the first write, so
    /// changes made meanwhile wait for the next checkpoint). Records not written go back into
    /// <paramref name="dirty"/>, and this throws naming how many <paramref name="what"/> failed.
    /// </summary>
    public static async Task WriteDirtyAsync<T>(HashSet<int> dirty, Func<int, T> copy, Func<int, StoredRecord<T>> record, string what)
        where T : class, new()
    {
        var writes = dirty.Select(i => (Index: i, Copy: copy(i))).ToArray();
        dirty.Clear();
        var failures = new List<Exception>();
        foreach (var batch in writes.Chunk(InFlight))
            await Task.WhenAll(batch.Select(async w =>
            {
                try
                {
                    await record(w.Index).WriteAsync(w.Copy);
                }
                catch (Exception error)
                {
                    dirty.Add(w.Index);
                    failures.Add(error);
                }
            }));
        if (failures.Count > 0) throw new IOException($"{failures.Count} of {writes.Length} {what} were not saved", failures[0]);
    }

    /// <summary>
    /// Deletes records that nothing reads any longer (the head points past them), in the background
    /// and best effort: a slow or failing delete must not hold up the appends queued behind a checkpoint.
    /// </summary>
    public static void ClearInBackground(IReadOnlyList<Func<Task>> garbage) => _ = ClearAsync(garbage);

    private static async Task ClearAsync(IReadOnlyList<Func<Task>> garbage)
    {
        foreach (var batch in garbage.Chunk(InFlight))
            await Task.WhenAll(batch.Select(async clear =>
            {
                try { await clear(); }
                catch (Exception) { /* garbage only */ }
            }));
    }
}
