using ActorCrm.DemoData;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.Grains.Revenue;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Silo.Mapping;
using Microsoft.Extensions.Options;

namespace ActorCrm.Silo.Seeding;

/// <summary>Configuration section "Demo".</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load the demo book on start when the store holds no account.</summary>
    public bool Seed { get; set; }

    public int Accounts { get; set; } = 60;

    public int RandomSeed { get; set; } = 42;
}

/// <summary>
/// Loads the demo key-account book (the same generator as `actorcrm demo`, at a small size) once
/// the silo runs, through the same grains and mapping the gRPC services use — only into an empty store.
/// </summary>
public sealed class DemoSeeder(
    IGrainFactory grains,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<DemoOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Seed) return;
        if (!await WaitForStartAsync(stoppingToken)) return;
        if (await AccountDirectory.CountAsync(grains) > 0)
        {
            logger.LogInformation("Demo seed skipped: the store already holds accounts");
            return;
        }

        // Anchored at today, so the book's deals and its 18 months of revenue look current.
        var data = DemoDataGenerator.Generate(new DemoDataOptions(options.Value.Accounts, options.Value.RandomSeed, clock.GetUtcNow()));
        foreach (var account in data.Accounts)
            await grains.GetGrain<IAccountGrain>(account.AccountId).CreateAsync(ProtoMapper.ToDomain(account));
        foreach (var contact in data.Contacts)
            await grains.GetGrain<IContactGrain>(contact.ContactId).CreateAsync(ProtoMapper.ToDomain(contact));
        foreach (var opportunity in data.Opportunities)
            await grains.GetGrain<IAccountGrain>(opportunity.AccountId).CreateOpportunityAsync(ProtoMapper.ToDomain(opportunity));
        foreach (var activity in data.Activities)
            await grains.GetGrain<IAccountGrain>(activity.AccountId).LogActivityAsync(ProtoMapper.ToDomain(activity));
        await RevenueIngest.RecordAsync(grains,
            data.Revenue.Select(e => new AccountRevenueEntry(e.AccountId, new RevenueEntry(e.EventId, e.AmountMinor, e.OccurredAt.ToDateTimeOffset()))).ToArray(), logger);
        logger.LogInformation(
            "Demo seed loaded: {Accounts} accounts, {Contacts} contacts, {Opportunities} opportunities, {Activities} activities, {Revenue} revenue events",
            data.Accounts.Count, data.Contacts.Count, data.Opportunities.Count, data.Activities.Count, data.Revenue.Count);
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var stopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
