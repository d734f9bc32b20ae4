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

        /// <summary>Most other shapes of reply kept per view (a caller sending ever new read masks renders them itself).</summary>
        public const int MaxVariants = 8;

        private ConcurrentDictionary<string, object>? _variants;

        /// <summary>The reply of another shape (e.g. with a read mask), rendered once per view like <see cref="Rendered"/>.</summary>
        public object Variant(string shape, Func<Entry, object> render)
        {
            var variants = _variants ?? Interlocked.CompareExchange(ref _variants, new(StringComparer.Ordinal), null) ?? _variants!;
            if (variants.TryGetValue(shape, out var rendered)) return rendered;
            rendered = render(this);
            if (variants.Count < MaxVariants) variants.TryAdd(shape, rendered);
            return rendered;
        }
    }

    public bool TryGet(string key, [NotNullWhen(true)] out Entry? entry) => _entries.TryGetValue(key, out entry);

    /// <summary>
    /// Called by the grain with its committed view when it serves a read. An entry already there holds
    /// the same committed state (every change removes it), but its view may have expired (insights are
    /// valid for a day, a share of wallet for seconds): the newer rendering of that state replaces it.
    /// </summary>
    internal void Fill(string key, TView view) =>
        _entries.AddOrUpdate(key, static (_, v) => new Entry(v), static (_, held, v) => ReferenceEquals(held.View, v) ? held : new Entry(v), view);

    /// <summary>Called by the grain after a committed change and when it deactivates.</summary>
    internal void Invalidate(string key) => _entries.TryRemove(key, out _);
}
