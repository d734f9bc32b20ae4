using ActorCrm.Domain.Model;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// One account's activities of one calendar month (key = "{account_id}/{yyyy-MM}", UTC). The
/// timeline is paged out by month so no state grows without bound; only the account grain calls it.
/// </summary>
[Alias("actorcrm.IActivityMonthGrain")]
public interface IActivityMonthGrain : IGrainWithStringKey
{
    [Alias("Append")] Task AppendAsync(Activity activity);

    /// <summary>Activities after <paramref name="after"/> in timeline order (newest first).</summary>
    [ReadOnly, Alias("Read")] Task<IReadOnlyList<Activity>> ReadAsync(ActivityCursor? after, int limit);

    [Alias("Clear")] Task ClearAsync();

    public static string KeyOf(string accountId, int month) => $"{accountId}/{month / 100:D4}-{month % 100:D2}";

    /// <summary>The month of an instant as yyyyMM (UTC).</summary>
    public static int MonthOf(DateTimeOffset at) => at.UtcDateTime.Year * 100 + at.UtcDateTime.Month;
}
