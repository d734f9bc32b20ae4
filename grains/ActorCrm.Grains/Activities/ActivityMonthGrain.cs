using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains.Infrastructure;
using Orleans.Serialization;

namespace ActorCrm.Grains.Activities;

[GenerateSerializer, Alias("actorcrm.state.ActivityMonth")]
public sealed record ActivityMonthState
{
    /// <summary>The month's activities in timeline order (newest first).</summary>
    [Id(0)] public IReadOnlyList<Activity> Items { get; init; } = [];
}

/// <summary>One account's activities of one month; see <see cref="IActivityMonthGrain"/>.</summary>
/// <remarks>
/// Bounded twice: by count (<see cref="Limits.ActivitiesPerAccountMonth"/>) and by saved size
/// (<see cref="MonthStateBytes"/>), since 1,000 activities with long notes would exceed an Azure
/// Table entity (~960 KB) and could then never be saved.
/// </remarks>
public sealed class ActivityMonthGrain(
    [PersistentState("activities", StorageNames.Crm)] IPersistentState<ActivityMonthState> state,
    Serializer serializer)
    : Grain, IActivityMonthGrain
{
    /// <summary>Largest serialized month (the Azure Table entity limit is ~960 KB).</summary>
    public const int MonthStateBytes = 768 * 1024;

    public async Task AppendAsync(Activity activity)
    {
        var items = state.State.Items;
        var existing = items.FirstOrDefault(a => a.ActivityId == activity.ActivityId);
        if (existing is not null)
        {
            // The same activity again (a retry after the account's index write failed) is not a conflict.
            if (SameActivity(existing, activity)) return;
            throw CrmException.AlreadyExists($"account '{activity.AccountId}' already has activity '{activity.ActivityId}'");
        }
        if (items.Count >= Limits.ActivitiesPerAccountMonth)
            throw CrmException.Precondition($"account '{activity.AccountId}' already has {Limits.ActivitiesPerAccountMonth} activities in {MonthOf(activity)}");

        var next = items.ToList();
        var index = next.FindIndex(a => ActivityCursor.Compare(activity.OccurredAt, activity.ActivityId, a.OccurredAt, a.ActivityId) < 0);
        next.Insert(index < 0 ? next.Count : index, activity);
        var nextState = new ActivityMonthState { Items = next };
        var size = serializer.SerializeToArray(nextState).Length;
        if (size > MonthStateBytes)
            throw CrmException.Precondition(
                $"account '{activity.AccountId}' has no room left for activities in {MonthOf(activity)}: they would take {size / 1024} KB, at most {MonthStateBytes / 1024} KB per month");
        await state.WriteAsync(nextState, this);
    }

    public Task<IReadOnlyList<Activity>> ReadAsync(ActivityCursor? after, int limit)
    {
        IEnumerable<Activity> items = state.State.Items;
        if (after is not null)
            items = items.Where(a => ActivityCursor.Compare(a.OccurredAt, a.ActivityId, after.OccurredAt, after.ActivityId) > 0);
        return Task.FromResult<IReadOnlyList<Activity>>(items.Take(limit).ToArray());
    }

    public async Task ClearAsync()
    {
        if (state.State.Items.Count > 0) await state.WriteAsync(new ActivityMonthState(), this);
    }

    private string MonthOf(Activity activity) => this.GetPrimaryKeyString()[(activity.AccountId.Length + 1)..];

    private static bool SameActivity(Activity a, Activity b) =>
        a with { ContactIds = [] } == b with { ContactIds = [] } && a.ContactIds.SequenceEqual(b.ContactIds);
}
