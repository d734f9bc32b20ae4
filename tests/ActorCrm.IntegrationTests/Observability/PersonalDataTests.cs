using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Observability;

/// <summary>Logs, spans and metrics carry ids only: none of a contact's personal values may appear in them.</summary>
[Collection(ObservabilityCollection.Name)]
public class PersonalDataTests(TelemetrySiloFactory silo)
{
    private static readonly string[] Personal =
    [
        "司徒隐名", "司徒显名", "13987650321", "situ.pii.7f3@example.com", "situ_pii_wx7f3", "供应处隐私科",
        "家有一只名叫团团的猫", "云南省腾冲市和顺古镇", "《隐私测试之书》", "隐私测试大学", "冰岛雷克雅未克",
        "明年去南极看企鹅", "冰壶", "隐私小馆", "过桥米线加双份菌子", "每周三晚上练习古琴", "新的隐私备注：怕冷",
    ];

    [Fact]
    public async Task No_personal_value_reaches_logs_spans_or_metrics()
    {
        var account = Ids.New("pii");
        var contactId = Ids.New("c");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });

        var created = await silo.Contacts.CreateContactAsync(new CreateContactRequest
        {
            Contact = new Contact
            {
                ContactId = contactId,
                AccountId = account,
                DisplayName = "司徒隐名",
                Title = "供应处隐私科",
                Level = ContactLevel.Management,
                RelationshipStrength = RelationshipStrength.Weak,
                Channels =
                {
                    new CommunicationChannel { Type = ChannelType.Mobile, Value = "13987650321" },
                    new CommunicationChannel { Type = ChannelType.Email, Value = "situ.pii.7f3@example.com" },
                    new CommunicationChannel { Type = ChannelType.Wechat, Value = "situ_pii_wx7f3" },
                },
                PersonalProfile = new PersonalProfile
                {
                    Family = "家有一只名叫团团的猫",
                    Hometown = "云南省腾冲市和顺古镇",
                    FavouriteBooks = { "《隐私测试之书》" },
                    University = "隐私测试大学",
                    LastVacation = "冰岛雷克雅未克",
                    NextVacationPlan = "明年去南极看企鹅",
                    Sports = { "冰壶" },
                    FavouriteRestaurants = { "隐私小馆" },
                    FavouriteFood = { "过桥米线加双份菌子" },
                    Notes = "每周三晚上练习古琴",
                },
                PersonalDataBasis = Api.ContactAndOpportunityApiTests.Basis(),
            },
        });
        await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = contactId });
        await silo.Contacts.ListContactsAsync(new ListContactsRequest { AccountId = account });
        var updated = await silo.Contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = contactId, Etag = created.Etag, DisplayName = "司徒显名", PersonalProfile = new PersonalProfile { Notes = "新的隐私备注：怕冷" } },
            UpdateMask = new FieldMask { Paths = { "display_name", "personal_profile.notes" } },
        });
        // Refused commands carrying personal values: a stale etag and a duplicate create.
        await Assert.ThrowsAsync<RpcException>(() => silo.Contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = contactId, Etag = created.Etag, DisplayName = "司徒隐名" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        }).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = created }).ResponseAsync);
        await silo.Contacts.DeleteContactAsync(new DeleteContactRequest { ContactId = contactId, Etag = updated.Etag });

        using var http = silo.CreateClient();
        var metrics = await http.GetStringAsync("/metrics");
        await Task.Delay(500); // let the last spans end and export

        var logs = silo.Logs.Entries;
        var spans = silo.Spans.ToList().Select(SpanText).ToList();
        // The capture works: the calls above were logged and traced, by id.
        Assert.Contains(logs, entry => entry.Contains(contactId));
        Assert.Contains(spans, span => span.Contains("ContactService/UpdateContact"));

        foreach (var value in Personal)
        {
            Assert.DoesNotContain(logs, entry => entry.Contains(value));
            Assert.DoesNotContain(spans, span => span.Contains(value));
            Assert.DoesNotContain(value, metrics);
        }
    }

    /// <summary>Everything a span exports: names, status, tags, events with their tags, baggage, links.</summary>
    private static string SpanText(System.Diagnostics.Activity span)
    {
        var text = new System.Text.StringBuilder($"{span.Source.Name} {span.OperationName} {span.DisplayName} {span.StatusDescription}");
        foreach (var (key, value) in span.TagObjects) text.Append($" {key}={value}");
        foreach (var e in span.Events)
        {
            text.Append($" event {e.Name}");
            foreach (var (key, value) in e.Tags) text.Append($" {key}={value}");
        }
        foreach (var (key, value) in span.Baggage) text.Append($" baggage {key}={value}");
        foreach (var link in span.Links)
            if (link.Tags is not null)
                foreach (var (key, value) in link.Tags) text.Append($" link {key}={value}");
        return text.ToString();
    }
}
