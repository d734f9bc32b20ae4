namespace ActorCrm.Grains;

/// <summary>
/// One partition of the retention schedule (key = partition number): which contacts hold a
/// personal profile until when. A sweep erases the profiles whose time has passed (each contact
/// checks its own retention again: an extended one is rescheduled, not erased).
/// </summary>
[Alias("actorcrm.IRetentionScheduleGrain")]
public interface IRetentionScheduleGrain : IGrainWithIntegerKey
{
    /// <summary>Records (or moves) the contact's retention time; durable when it returns.</summary>
    [Alias("Schedule")] Task ScheduleAsync(string contactId, DateTimeOffset retainUntil);

    /// <summary>Erases every profile due by the product clock's now; returns how many left the schedule (erased, or gone with their contact).</summary>
    [Alias("Sweep")] Task<int> SweepAsync();
}

public static class RetentionSchedule
{
    /// <summary>Fixed for a deployment: a sweep visits every partition.</summary>
    public const int Partitions = 16;

    public static IRetentionScheduleGrain For(IGrainFactory grains, string contactId) =>
        grains.GetGrain<IRetentionScheduleGrain>(Domain.StableHash.Fnv1a32(contactId) % Partitions);

    public static async Task<int> SweepAllAsync(IGrainFactory grains)
    {
        var erased = await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => grains.GetGrain<IRetentionScheduleGrain>(p).SweepAsync()));
        return erased.Sum();
    }
}
