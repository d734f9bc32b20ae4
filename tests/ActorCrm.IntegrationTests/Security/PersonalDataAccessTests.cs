using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>Personal profiles reach only callers allowed to see them, and every access leaves an audit entry first.</summary>
public class PersonalDataAccessTests(SecuritySiloFactory silo) : IClassFixture<SecuritySiloFactory>
{
    private async Task<List<AuditEvent>> AuditOf(string subject, string actor = "")
    {
        var audit = new AuditService.AuditServiceClient(silo.Channel);
        return (await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Subject = subject, Actor = actor, PageSize = 1000 })).Events.ToList();
    }

    [Fact]
    public async Task An_analyst_gets_contacts_without_their_personal_profile()
    {
        using var analyst = silo.As(TestKeys.Analyst);
        var contacts = new ContactService.ContactServiceClient(analyst);
        var contact = await contacts.GetContactAsync(new GetContactRequest { ContactId = SecuritySiloFactory.OwnContact });
        Assert.Null(contact.PersonalProfile);
        Assert.True(contact.PersonalProfileWithheld);
        Assert.Equal("欧阳明华", contact.DisplayName);

        var listed = await contacts.ListContactsAsync(new ListContactsRequest { AccountId = "mgr-own" });
        Assert.All(listed.Contacts, c => Assert.True(c.PersonalProfile is null && c.PersonalProfileWithheld));
        // Withholding is not an access: nothing was audited for the analyst.
        Assert.Empty(await AuditOf($"contacts/{SecuritySiloFactory.OwnContact}", "test-analyst"));
    }

    [Fact]
    public async Task A_personal_profile_read_is_in_the_audit_trail_when_the_reply_arrives()
    {
        using var director = silo.As(TestKeys.Director);
        var before = DateTimeOffset.UtcNow.AddYears(-10); // the product clock of test silos is fixed; only order matters here
        var contact = await new ContactService.ContactServiceClient(director).GetContactAsync(new GetContactRequest { ContactId = SecuritySiloFactory.OwnContact });
        Assert.Equal("江西赣州", contact.PersonalProfile.Hometown);
        Assert.False(contact.PersonalProfileWithheld);

        var entries = await AuditOf($"contacts/{SecuritySiloFactory.OwnContact}", "test-director");
        var read = Assert.Single(entries, e => e.Action == AuditAction.PersonalDataRead);
        Assert.Equal("sales_director", read.ActorRole);
        Assert.Equal("/actorcrm.v1.ContactService/GetContact", read.Method);
        Assert.Contains("personal_profile.hometown", read.Fields);
        Assert.True(read.EventTime.ToDateTimeOffset() > before);
        // Names of fields only, never the values.
        Assert.DoesNotContain(entries, e => e.ToString().Contains("赣州"));
    }

    [Fact]
    public async Task A_denied_read_is_audited_and_returns_nothing()
    {
        using var manager = silo.As(TestKeys.Manager);
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => new ContactService.ContactServiceClient(manager)
            .GetContactAsync(new GetContactRequest { ContactId = SecuritySiloFactory.OtherContact }));
        var denial = Assert.Single(await AuditOf("accounts/other-acct", TestKeys.ManagerUserId), e => e.Action == AuditAction.PermissionDenied);
        Assert.Equal("/actorcrm.v1.ContactService/GetContact", denial.Method);
    }

    [Fact]
    public async Task Writing_a_personal_profile_needs_the_right_and_is_audited()
    {
        // The scoped service may write accounts but not personal data.
        using var service = silo.As(TestKeys.ScopedService);
        var id = Ids.New("svc-contact");
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => new ContactService.ContactServiceClient(service)
            .CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(id, "scope-root") }));
        Assert.Contains(await AuditOf($"contacts/{id}", "test-service"), e => e.Action == AuditAction.PermissionDenied);

        using var manager = silo.As(TestKeys.Manager);
        var contacts = new ContactService.ContactServiceClient(manager);
        var mine = Ids.New("mgr-contact");
        var created = await contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(mine, "mgr-own") });
        await contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = mine, Etag = created.Etag, PersonalProfile = new PersonalProfile { Hometown = "湖南长沙" } },
            UpdateMask = new FieldMask { Paths = { "personal_profile.hometown" } },
        });
        var writes = (await AuditOf($"contacts/{mine}", TestKeys.ManagerUserId)).Where(e => e.Action == AuditAction.PersonalDataWritten).ToList();
        Assert.Equal(2, writes.Count);
        Assert.Equal(["personal_profile.hometown"], writes[0].Fields); // newest first: the update
        Assert.Contains("personal_profile.family", writes[1].Fields);
    }

    [Fact]
    public async Task Changing_owner_or_team_is_audited()
    {
        var accounts = silo.Accounts;
        var id = Ids.New("crit");
        var created = await accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        await accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = created.Etag, Owner = "u-new-owner", Region = "华东" },
            UpdateMask = new FieldMask { Paths = { "owner", "region" } },
        });
        var change = Assert.Single(await AuditOf($"accounts/{id}"), e => e.Action == AuditAction.CriticalFieldsChanged);
        Assert.Equal(["owner"], change.Fields);
        Assert.Equal("test-admin", change.Actor);
    }

    [Fact]
    public async Task The_audit_trail_pages_newest_first_and_filters_by_time()
    {
        using var director = silo.As(TestKeys.Director);
        var contacts = new ContactService.ContactServiceClient(director);
        for (var i = 0; i < 5; i++) await contacts.GetContactAsync(new GetContactRequest { ContactId = SecuritySiloFactory.OwnContact });

        var audit = new AuditService.AuditServiceClient(silo.Channel);
        var seen = new List<AuditEvent>();
        var token = "";
        do
        {
            var page = await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Actor = "test-director", PageSize = 2, PageToken = token });
            seen.AddRange(page.Events);
            token = page.NextPageToken;
        } while (token.Length > 0);
        Assert.True(seen.Count >= 5);
        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(e => e.EventTime.ToDateTimeOffset()).Select(e => e.EventId), seen.Select(e => e.EventId));

        var future = await audit.ListAuditEventsAsync(new ListAuditEventsRequest { Actor = "test-director", StartTime = Timestamp.FromDateTimeOffset(seen[0].EventTime.ToDateTimeOffset().AddSeconds(1)) });
        Assert.Empty(future.Events);
    }
}
