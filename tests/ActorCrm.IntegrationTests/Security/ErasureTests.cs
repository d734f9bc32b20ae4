using System.Text;
using System.Text.RegularExpressions;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>Erasure on request reaches the API, the audit trail and the bytes Azurite keeps on disk.</summary>
public partial class ErasureTests
{
    private const string Name = "擦除测试人员Qx9";
    private const string Hometown = "Zhuyuanxiang-7q1";
    private const string Email = "erase.me.q9@example.com";

    private sealed class AzuriteSiloFactory(string connectionString) : SiloFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:Namespace"] = Azurite.NewNamespace(),
        };
    }

    private static Contact Person(string id, string accountId)
    {
        var contact = ContactAndOpportunityApiTests.NewContact(id, accountId);
        contact.DisplayName = Name;
        contact.Channels.Clear();
        contact.Channels.Add(new CommunicationChannel { Type = ChannelType.Email, Value = Email });
        contact.PersonalProfile.Hometown = Hometown;
        return contact;
    }

    [Fact]
    public async Task Erased_personal_data_leaves_the_api_and_azurites_files()
    {
        await using var azurite = await PrivateAzurite.StartAsync();
        await using var silo = new AzuriteSiloFactory(azurite.ConnectionString);
        var account = Ids.New("erase-acct");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });
        var id = Ids.New("erase-me");
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = Person(id, account) });

        // The values are in Azurite's files once it has flushed (it does every few seconds): the scan can see them.
        await Eventually(() => StoredValues(azurite.Folder).Count == 3, "the contact's values never reached Azurite's files");

        var erased = await silo.Contacts.ErasePersonalDataAsync(new ErasePersonalDataRequest { ContactId = id });
        Assert.Equal("(erased)", erased.DisplayName);
        Assert.Empty(erased.Channels);
        Assert.Null(erased.PersonalProfile);
        Assert.Null(erased.PersonalDataBasis);
        Assert.NotNull(erased.PersonalDataEraseTime);
        Assert.Equal("总工程师", erased.Title); // its place in the organisation stays

        var read = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = id });
        Assert.Equal(erased, read);
        var listed = Assert.Single((await silo.Contacts.ListContactsAsync(new ListContactsRequest { AccountId = account })).Contacts);
        Assert.Equal("(erased)", listed.DisplayName);
        // Erasing again changes nothing.
        Assert.Equal(erased.Etag, (await silo.Contacts.ErasePersonalDataAsync(new ErasePersonalDataRequest { ContactId = id })).Etag);

        var audit = await new AuditService.AuditServiceClient(silo.Channel).ListAuditEventsAsync(new ListAuditEventsRequest { Subject = $"contacts/{id}" });
        Assert.Contains(audit.Events, e => e.Action == AuditAction.PersonalDataErased && e.Actor == "test-admin");

        await Eventually(() => StoredValues(azurite.Folder).Count == 0,
            () => $"erased values still in Azurite's files: {string.Join(", ", StoredValues(azurite.Folder))}");
    }

    [Fact]
    public async Task A_profile_needs_a_purpose_legal_basis_and_future_retention()
    {
        await using var silo = new SiloFactory();
        var account = Ids.New("basis-acct");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });
        var contact = ContactAndOpportunityApiTests.NewContact(Ids.New("c"), account);

        contact.PersonalDataBasis = null;
        await ApiAssert.InvalidField("contact.personal_data_basis", () => silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact }));
        contact.PersonalDataBasis = ContactAndOpportunityApiTests.Basis();
        contact.PersonalDataBasis.ConsentTime = null;
        await ApiAssert.InvalidField("contact.personal_data_basis.consent_time", () => silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact }));
        contact.PersonalDataBasis = ContactAndOpportunityApiTests.Basis();
        contact.PersonalDataBasis.RetentionTime = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow().AddDays(-1));
        await ApiAssert.InvalidField("contact.personal_data_basis.retention_time", () => silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact }));

        // Without a profile no basis is needed.
        contact.PersonalProfile = null;
        contact.PersonalDataBasis = null;
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact });
    }

    /// <summary>Which of the contact's values Azurite's files hold: raw, or inside the base64 its table entities keep binary state in.</summary>
    private static List<string> StoredValues(string folder)
    {
        var found = new List<string>();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(ReadShared).ToList();
        foreach (var value in new[] { Name, Hometown, Email })
        {
            var needle = Encoding.UTF8.GetBytes(value);
            if (files.Any(bytes => bytes.AsSpan().IndexOf(needle) >= 0 || InBase64(bytes, needle))) found.Add(value);
        }
        return found;
    }

    private static byte[] ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (IOException)
        {
            return []; // replaced while we read it: the next scan sees the new file
        }
    }

    private static bool InBase64(byte[] file, byte[] needle)
    {
        foreach (Match match in Base64String().Matches(Encoding.UTF8.GetString(file)))
        {
            try
            {
                if (Convert.FromBase64String(match.Groups[1].Value).AsSpan().IndexOf(needle) >= 0) return true;
            }
            catch (FormatException)
            {
            }
        }
        return false;
    }

    [GeneratedRegex("\"([A-Za-z0-9+/]{16,}={0,2})\"")]
    private static partial Regex Base64String();

    private static Task Eventually(Func<bool> condition, string message) => Eventually(condition, () => message);

    private static async Task Eventually(Func<bool> condition, Func<string> message)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (condition()) return;
            await Task.Delay(250);
        }
        Assert.Fail(message());
    }
}
