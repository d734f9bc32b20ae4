using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Security;

public sealed class FastSweepSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Retention:SweepIntervalSeconds"] = "1" };
}

/// <summary>Past its retention time a profile is no longer shown, then erased from storage by the sweep (audited).</summary>
public class RetentionTests(FastSweepSiloFactory silo) : IClassFixture<FastSweepSiloFactory>
{
    [Fact]
    public async Task A_profile_past_its_retention_is_hidden_at_once_and_erased_by_the_sweep()
    {
        var account = Ids.New("ret-acct");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });
        var expiring = ContactAndOpportunityApiTests.NewContact(Ids.New("ret-soon"), account);
        expiring.PersonalDataBasis.RetentionTime = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow().AddDays(1));
        var lasting = ContactAndOpportunityApiTests.NewContact(Ids.New("ret-later"), account);
        lasting.PersonalDataBasis.RetentionTime = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow().AddDays(30));
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = expiring });
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = lasting });

        // A sweep before the time erases nothing.
        await Task.Delay(1500);
        Assert.NotNull((await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = expiring.ContactId })).PersonalProfile);

        silo.Clock.Advance(TimeSpan.FromDays(2));
        // Hidden at once, even from this silo's cached reply …
        Assert.Null((await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = expiring.ContactId })).PersonalProfile);
        // … and erased by the next sweep, which records who (the system) and what.
        var audit = new AuditService.AuditServiceClient(silo.Channel);
        AuditEvent? erasure = null;
        for (var attempt = 0; attempt < 40 && erasure is null; attempt++)
        {
            await Task.Delay(250);
            erasure = (await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Subject = $"contacts/{expiring.ContactId}" })).Events
                .FirstOrDefault(e => e.Action == AuditAction.PersonalDataErased);
        }
        Assert.NotNull(erasure);
        Assert.Equal("system:retention", erasure.Actor);
        Assert.Contains("personal_profile.hometown", erasure.Fields);

        var erased = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = expiring.ContactId });
        Assert.NotNull(erased.PersonalDataEraseTime);
        Assert.Null(erased.PersonalDataBasis);
        Assert.Equal(expiring.DisplayName, erased.DisplayName); // retention ends the profile; the business contact stays

        var kept = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = lasting.ContactId });
        Assert.Equal("江西赣州", kept.PersonalProfile.Hometown);
        Assert.Null(kept.PersonalDataEraseTime);
    }
}
