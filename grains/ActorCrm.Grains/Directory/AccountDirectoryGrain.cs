using ActorCrm.Grains.Infrastructure;

namespace ActorCrm.Grains.Directory;

[GenerateSerializer, Alias("actorcrm.state.DirectoryPartition")]
public sealed record DirectoryPartitionState
{
    /// <summary>The partition's accounts, sorted by id (ordinal).</summary>
    [Id(0)] public IReadOnlyList<AccountSummary> Accounts { get; init; } = [];
    /// <summary>Versions of deleted accounts, so a late upsert of an older version cannot resurrect one.</summary>
    [Id(1)] public IReadOnlyDictionary<string, long> DeletedVersions { get; init; } = new Dictionary<string, long>();
}

/// <summary>One partition of the account directory; see <see cref="AccountDirectory"/>.</summary>
public sealed class AccountDirectoryGrain(
    [PersistentState("directory", StorageNames.Large)] IPersistentState<DirectoryPartitionState> state)
    : Grain, IAccountDirectoryGrain
{
    public async Task UpsertAsync(AccountSummary summary)
    {
        var accounts = state.State.Accounts;
        var index = IndexOf(summary.AccountId);
        if (index >= 0 && (accounts[index].Version >= summary.Version || accounts[index] == summary)) return;
        if (state.State.DeletedVersions.TryGetValue(summary.AccountId, out var deleted) && deleted >= summary.Version) return;

        var next = accounts.ToList();
        if (index >= 0) next[index] = summary;
        else next.Insert(~index, summary);
        var deletedVersions = state.State.DeletedVersions;
        if (deletedVersions.ContainsKey(summary.AccountId))
            deletedVersions = deletedVersions.Where(kv => kv.Key != summary.AccountId).ToDictionary();
        await state.WriteAsync(new DirectoryPartitionState { Accounts = next, DeletedVersions = deletedVersions }, this);
    }

    public async Task RemoveAsync(string accountId, long version)
    {
        var index = IndexOf(accountId);
        if (index >= 0 && state.State.Accounts[index].Version > version) return;
        var next = state.State.Accounts.ToList();
        if (index >= 0) next.RemoveAt(index);
        var deletedVersions = new Dictionary<string, long>(state.State.DeletedVersions) { [accountId] = version };
        await state.WriteAsync(new DirectoryPartitionState { Accounts = next, DeletedVersions = deletedVersions }, this);
    }

    public Task<IReadOnlyList<AccountSummary>> QueryAsync(DirectoryQuery query)
    {
        var accounts = state.State.Accounts;
        var start = IndexOf(query.AfterAccountId);
        start = start >= 0 ? start + 1 : ~start;
        var page = new List<AccountSummary>(Math.Min(query.Limit, 64));
        for (var i = start; i < accounts.Count && page.Count < query.Limit; i++)
            if (query.Matches(accounts[i])) page.Add(accounts[i]);
        return Task.FromResult<IReadOnlyList<AccountSummary>>(page);
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.Accounts.Count);

    private int IndexOf(string accountId)
    {
        var accounts = state.State.Accounts;
        int lo = 0, hi = accounts.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(accounts[mid].AccountId, accountId);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }
}
