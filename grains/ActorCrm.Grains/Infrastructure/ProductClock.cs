namespace ActorCrm.Grains.Infrastructure;

/// <summary>
/// The product's own clock: domain code takes a <see cref="TimeProvider"/> registered under this
/// key, which tests replace with a fake. The silo's default TimeProvider is never replaced: Orleans
/// drives timers, message timeouts and membership from it.
/// </summary>
public static class ProductClock
{
    public const string Key = "actorcrm.clock";
}
