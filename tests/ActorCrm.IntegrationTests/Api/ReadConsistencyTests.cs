using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>
/// A read after an acknowledged write returns that write, whichever silo took the write and whichever
/// serves the read — the silo holding the account answers reads from its cache, the other through
/// the grain (two silos, Azure Table membership on Azurite).
/// </summary>
public class ReadConsistencyTests
{
    [Fact]
    public async Task A_read_on_either_silo_returns_the_last_acknowledged_write_on_either_for_accounts_and_contacts()
    {
        var settings = TwoSilos.Settings("actorcrm-read", "r");
        await using var silo0 = await SiloProcess.StartAsync(settings);
        await using var silo1 = await SiloProcess.StartAsync(settings);
        var silos = new[] { silo0, silo1 };

        // Several accounts, so some live on each silo; every read warms the cache of the silo holding it.
        var ids = Enumerable.Range(0, 6).Select(i => Ids.New($"rc{i}")).ToArray();
        var latest = new Dictionary<string, Account>();
        foreach (var id in ids) latest[id] = await silo0.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });

        for (var round = 0; round < 4; round++)
        {
            foreach (var id in ids)
            {
                foreach (var reader in silos)
                {
                    var read = await reader.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });
                    Assert.Equal(latest[id].Etag, read.Etag);
                    Assert.Equal(latest[id].DisplayName, read.DisplayName);
                }
                var writer = silos[(round + Array.IndexOf(ids, id)) % 2];
                latest[id] = await writer.Accounts.UpdateAccountAsync(new UpdateAccountRequest
                {
                    Account = new Account { AccountId = id, Etag = latest[id].Etag, DisplayName = $"第{round}轮 {id}" },
                    UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "display_name" } },
                });
            }
        }
        foreach (var id in ids)
            foreach (var reader in silos)
                Assert.Equal(latest[id].DisplayName, (await reader.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id })).DisplayName);

        // Contacts the same way: several, so some live on each silo.
        var contactIds = ids.Select((account, i) => (Account: account, Contact: Ids.New($"rcc{i}"))).ToArray();
        var contacts = new Dictionary<string, Contact>();
        foreach (var (account, contact) in contactIds)
            contacts[contact] = await silo1.Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(contact, account) });
        for (var round = 0; round < 3; round++)
        {
            foreach (var (_, id) in contactIds)
            {
                foreach (var reader in silos)
                    Assert.Equal(contacts[id].Etag, (await reader.Contacts.GetContactAsync(new GetContactRequest { ContactId = id })).Etag);
                contacts[id] = await silos[round % 2].Contacts.UpdateContactAsync(new UpdateContactRequest
                {
                    Contact = new Contact { ContactId = id, Etag = contacts[id].Etag, Title = $"第{round}轮" },
                    UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "title" } },
                });
            }
        }
        foreach (var (_, id) in contactIds)
            foreach (var reader in silos)
                Assert.Equal("第2轮", (await reader.Contacts.GetContactAsync(new GetContactRequest { ContactId = id })).Title);
    }
}
