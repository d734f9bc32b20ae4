using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using ActorCrm.Silo.Watching;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ActorCrm.IntegrationTests.Watching;

[Collection(SiloCollection.Name)]
public class WatchAccountTests(SiloFactory silo)
{
    private async Task<Account> CreateAccountAsync(string id) =>
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });

    private StreamReader<AccountEvent> Watch(string id, bool contacts = false, long resumeAfter = 0) =>
        new(silo.Accounts.WatchAccount(new WatchAccountRequest { AccountId = id, IncludeContacts = contacts, ResumeAfterSequence = resumeAfter }));

    private Task<Account> RenameAsync(Account account, string name)
    {
        var patch = new Account { AccountId = account.AccountId, DisplayName = name, Etag = account.Etag };
        return silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest { Account = patch, UpdateMask = new FieldMask { Paths = { "display_name" } } }).ResponseAsync;
    }

    [Fact]
    public async Task The_first_message_is_the_current_state_and_every_kind_of_committed_change_follows_within_a_second()
    {
        var id = Ids.New("watch");
        var account = await CreateAccountAsync(id);
        await using var stream = Watch(id, contacts: true);

        var first = await stream.NextAsync();
        Assert.Equal(account.DisplayName, first.Account.DisplayName);
        Assert.True(first.Sequence > 0);
        Assert.Empty(first.Contacts);

        account = await RenameAsync(account, "云衢铁路成都局集团有限公司（新）");
        var renamed = await stream.NextWhereAsync(e => e.Account.DisplayName == account.DisplayName);
        Assert.True(renamed.Sequence > first.Sequence);

        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact($"{id}-c", id) });
        var withContact = await stream.NextWhereAsync(e => e.Contacts.Count == 1);
        Assert.Equal("欧阳明华", withContact.Contacts[0].DisplayName);
        Assert.Equal(ContactLevel.Executive, withContact.Contacts[0].Level);

        var contact = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = $"{id}-c" });
        await silo.Contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = contact.ContactId, Title = "副总经理", Etag = contact.Etag },
            UpdateMask = new FieldMask { Paths = { "title" } },
        });
        await stream.NextWhereAsync(e => e.Contacts.Count == 1 && e.Contacts[0].Title == "副总经理");

        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(id, "opp-1") });
        var withOpportunity = await stream.NextWhereAsync(e => e.OpenOpportunityCount == 1);
        Assert.Equal(32_000_000_00, withOpportunity.OpenPipelineMinor);

        var before = stream.All[^1].Sequence;
        await silo.Opportunities.LogActivityAsync(new LogActivityRequest
        {
            Activity = new Activity
            {
                AccountId = id, ActivityId = "act-1", Type = "visit", OccurredAt = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow()),
                Subject = "拜访物资处",
            },
        });
        await stream.NextWhereAsync(e => e.Sequence > before);

        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new RevenueEvent { AccountId = id, EventId = "inv-1", AmountMinor = 12_345, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow()) } },
        });
        var withRevenue = await stream.NextWhereAsync(e => e.RevenueWindowTotalMinor == 12_345);
        Assert.Equal(id, withRevenue.Account.AccountId);
        Assert.All(stream.All.Zip(stream.All.Skip(1)), pair => Assert.True(pair.Second.Sequence > pair.First.Sequence));
    }

    [Fact]
    public async Task Revenue_ageing_out_of_the_window_is_pushed_without_any_command()
    {
        var id = Ids.New("age");
        await CreateAccountAsync(id);
        // Dated 364 days back in a 365-day window: it leaves the window at the second local midnight from now.
        var old = silo.Clock.GetUtcNow().AddDays(-364);
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new RevenueEvent { AccountId = id, EventId = "old", AmountMinor = 500, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(old) } },
        });
        await using var stream = Watch(id);
        var first = await stream.NextAsync();
        Assert.Equal(500, first.RevenueWindowTotalMinor);

        // Other tests share this silo's clock; moving it forward a few days is harmless to them.
        silo.Clock.Advance(TimeSpan.FromDays(2));
        var aged = await stream.NextWhereAsync(e => e.RevenueWindowTotalMinor == 0, TimeSpan.FromSeconds(5));
        Assert.True(aged.Sequence > first.Sequence);
    }

    [Fact]
    public async Task Resuming_sends_the_current_state_only_when_it_is_newer()
    {
        var id = Ids.New("resume");
        var account = await CreateAccountAsync(id);
        long seen;
        await using (var stream = Watch(id))
            seen = (await stream.NextAsync()).Sequence;

        await using (var upToDate = Watch(id, resumeAfter: seen))
            Assert.True(await upToDate.QuietForAsync(TimeSpan.FromMilliseconds(500)), "nothing is newer than what the client has");

        await RenameAsync(account, "改名之后");
        await using var resumed = Watch(id, resumeAfter: seen);
        var missed = await resumed.NextAsync();
        Assert.True(missed.Sequence > seen);
        Assert.Equal("改名之后", missed.Account.DisplayName);
    }

    [Fact]
    public async Task Two_subscribers_both_get_every_change()
    {
        var id = Ids.New("two");
        var account = await CreateAccountAsync(id);
        await using var a = Watch(id);
        await using var b = Watch(id);
        await a.NextAsync();
        await b.NextAsync();
        for (var i = 0; i < 5; i++)
        {
            account = await RenameAsync(account, $"名称{i}");
            // Waiting for each change before the next, so none can be coalesced away.
            Assert.Equal(account.DisplayName, (await a.NextAsync()).Account.DisplayName);
            Assert.Equal(account.DisplayName, (await b.NextAsync()).Account.DisplayName);
        }
    }

    [Fact]
    public async Task A_deleted_account_sends_a_last_message_without_the_account_and_ends_the_stream()
    {
        var id = Ids.New("gone");
        await CreateAccountAsync(id);
        await using var stream = Watch(id);
        await stream.NextAsync();
        await silo.Accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = id });
        var last = await stream.NextAsync();
        Assert.Null(last.Account);
        Assert.True(await stream.EndsAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Watching_an_unknown_account_is_NOT_FOUND_and_a_bad_id_is_INVALID_ARGUMENT()
    {
        await ApiAssert.StreamFailsWith(StatusCode.NotFound, () => silo.Accounts.WatchAccount(new WatchAccountRequest { AccountId = Ids.New("nobody") }));
        await ApiAssert.StreamInvalidField("account_id", () => silo.Accounts.WatchAccount(new WatchAccountRequest { AccountId = "Not An Id" }));
        await ApiAssert.StreamInvalidField("resume_after_sequence",
            () => silo.Accounts.WatchAccount(new WatchAccountRequest { AccountId = Ids.New("neg"), ResumeAfterSequence = -1 }));
    }

    [Fact]
    public async Task Two_hundred_subscribe_and_cancel_cycles_leave_no_subscription_behind()
    {
        var hub = silo.Services.GetRequiredService<WatchHub>();
        var id = Ids.New("churn");
        await CreateAccountAsync(id);
        // Streams of earlier tests on this silo are cancelled; their server side may still be winding down.
        await WaitForAsync(() => hub.ActiveSubscriptions == 0 && hub.WatchedGrains == 0, "no subscription before the cycles");

        for (var i = 0; i < 200; i++)
        {
            await using var stream = Watch(id, contacts: i % 2 == 0);
            await stream.NextAsync(TimeSpan.FromSeconds(5));
            Assert.True(hub.ActiveSubscriptions >= 1);
        }

        await WaitForAsync(() => hub.ActiveSubscriptions == 0 && hub.WatchedGrains == 0, "subscriptions and watched grains back to 0");
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
