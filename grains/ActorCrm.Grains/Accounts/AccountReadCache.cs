using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ActorCrm.Domain.Model;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// This silo's read-through cache of the accounts whose grains are active here: the view of each as
/// last committed, so the gRPC front on this silo answers GetAccount without a grain call.
/// </summary>
/// <remarks>
/// Only the account grain changes an entry: it fills it when it serves a read, and removes it once a
/// change is durable and before the change is acknowledged, and when it deactivates. A hit therefore
/// returns the latest acknowledged write, and a failed write leaves the entry as it was (the write
/// did not happen). Reads on another silo miss and go to the grain, so a read after a write on any
/// silo returns that write.
/// </remarks>
public sealed class AccountReadCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>One account as committed, and what the API made of it (rendered once per version, not once per read).</summary>
    public sealed class Entry(AccountView view)
    {
        public AccountView View { get; } = view;

        /// <summary>The API's reply for <see cref="View"/>, filled by the first read that needs it; treated as immutable.</summary>
        public object? Rendered { get; set; }
    }

    public int Count => _entries.Count;

    public bool TryGet(string accountId, [NotNullWhen(true)] out Entry? entry) => _entries.TryGetValue(accountId, out entry);

    /// <summary>Called by the account grain with its committed view.</summary>
    internal void Fill(string accountId, AccountView view)
    {
        if (!_entries.TryGetValue(accountId, out var held) || held.View.Version != view.Version || held.View.ContactCount != view.ContactCount)
            _entries[accountId] = new Entry(view);
    }

    /// <summary>Called by the account grain after a committed change and when it deactivates.</summary>
    internal void Invalidate(string accountId) => _entries.TryRemove(accountId, out _);
}
