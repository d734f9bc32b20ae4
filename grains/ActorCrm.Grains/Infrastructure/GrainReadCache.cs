using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ActorCrm.Grains.Infrastructure;

/// <summary>
/// This silo's read-through cache of the grains of one kind (accounts, contacts) active here: the
/// view of each as last committed, so the gRPC front on this silo answers a point read without a
/// grain call.
/// </summary>
/// <remarks>
/// Only the grain changes its entry: it adds it when it serves a read, and removes it once a change
/// is durable and before the change is acknowledged, and when it deactivates. An entry that is
/// there is therefore the latest acknowledged write, and a failed write leaves it as it was (the
/// write did not happen). Reads on another silo miss and go to the grain, so a read after a write
/// on any silo returns that write.
/// </remarks>
public sealed class GrainReadCache<TView> where TView : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>One grain's committed view, and what the API made of it (rendered once per version, not once per read).</summary>
    public sealed class Entry(TView view)
    {
        public TView View { get; } = view;

        /// <summary>The API's reply for <see cref="View"/>, filled by the first read that needs it; treated as immutable.</summary>
        public object? Rendered { get; set; }
    }

    public bool TryGet(string key, [NotNullWhen(true)] out Entry? entry) => _entries.TryGetValue(key, out entry);

    /// <summary>Called by the grain with its committed view (an entry already there is that same view: every change removes it).</summary>
    internal void Fill(string key, TView view)
    {
        if (!_entries.ContainsKey(key)) _entries.TryAdd(key, new Entry(view));
    }

    /// <summary>Called by the grain after a committed change and when it deactivates.</summary>
    internal void Invalidate(string key) => _entries.TryRemove(key, out _);
}
