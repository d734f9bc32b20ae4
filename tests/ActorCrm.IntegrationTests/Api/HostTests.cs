using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

[Collection(SiloCollection.Name)]
public class HostTests(SiloFactory silo)
{
    [Fact]
    public async Task Health_endpoints_report_ready()
    {
        using var http = silo.CreateClient();
        Assert.True((await http.GetAsync("/health/live")).IsSuccessStatusCode);
        Assert.True((await http.GetAsync("/health/ready")).IsSuccessStatusCode);

        var health = new Health.HealthClient(silo.Channel);
        var reply = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Server_reflection_lists_the_actorcrm_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(silo.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("actorcrm.v1.AccountService", services);
        Assert.Contains("actorcrm.v1.ContactService", services);
        Assert.Contains("actorcrm.v1.OpportunityService", services);
    }
}

/// <summary>A silo started as the README runs it: with the demo seed.</summary>
public sealed class SeededSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Demo:Seed"] = "true" };
}

public class DemoSeedTests(SeededSiloFactory silo) : IClassFixture<SeededSiloFactory>
{
    [Fact]
    public async Task A_fresh_silo_seeds_the_demo_book_with_all_three_tiers()
    {
        var accounts = new List<Account>();
        for (var attempt = 0; attempt < 100 && accounts.Count == 0; attempt++)
        {
            var page = await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 1000, View = AccountListView.Full });
            accounts.AddRange(page.Accounts);
            if (accounts.Count == 0) await Task.Delay(100);
        }
        // The seed runs in the background; wait until it has finished loading (count stops growing).
        var previous = -1;
        while (previous != accounts.Count)
        {
            previous = accounts.Count;
            await Task.Delay(300);
            accounts = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 1000, View = AccountListView.Full })).Accounts.ToList();
        }

        Assert.True(accounts.Count >= 30, $"only {accounts.Count} accounts seeded");
        Assert.Equal(3, accounts.Select(a => a.Tier).Distinct().Count());
        Assert.Contains(accounts, a => a.ParentAccountId.Length > 0);
        Assert.Contains(accounts, a => a.DisplayName.Any(ch => ch >= '\u4e00' && ch <= '\u9fff'));
        var withContacts = accounts.First(a => a.ContactCount > 0);
        var contacts = await silo.Contacts.ListContactsAsync(new ListContactsRequest { AccountId = withContacts.AccountId });
        Assert.NotEmpty(contacts.Contacts);

        // The seeded revenue gives a real 80/20 picture.
        Concentration concentration = null!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            concentration = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest());
            if (concentration.AccountCount >= 30) break;
            await Task.Delay(100);
        }
        Assert.True(concentration.AccountCount >= 30, $"only {concentration.AccountCount} accounts ranked");
        Assert.InRange(concentration.ParetoShare, 0.5, 0.95);
        var top = await silo.Ranking.ListTopAccountsAsync(new ListTopAccountsRequest { PageSize = 5 });
        Assert.All(top.Rows, r => Assert.NotEmpty(r.DisplayName));
    }
}
