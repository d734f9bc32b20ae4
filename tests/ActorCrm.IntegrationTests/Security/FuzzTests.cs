using System.Text;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorCrm.IntegrationTests.Security;

public sealed class FuzzSiloFactory : SiloFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

/// <summary>
/// Hostile input across the whole API: ≥ 10,000 requests, random and malformed (random bytes,
/// nesting past protobuf's limit, invalid UTF-8 in ids, huge strings, extreme numbers, huge
/// repeated fields). Decodable requests get a status our API documents (INVALID_ARGUMENT and kin),
/// never INTERNAL or UNKNOWN; nothing crashes; nothing changes (a digest of every resource is the
/// same before and after). Write requests carry no valid id, so none of them may succeed.
/// </summary>
public class FuzzTests(FuzzSiloFactory silo) : IClassFixture<FuzzSiloFactory>
{
    private const int TypedPerMethod = 300;
    private const int RawPerMethod = 60;

    private static readonly ServiceDescriptor[] Services =
    [
        AccountService.Descriptor, ContactService.Descriptor, OpportunityService.Descriptor,
        RevenueService.Descriptor, RankingService.Descriptor, AuditService.Descriptor,
    ];

    private static readonly StatusCode[] Documented =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition,
        StatusCode.AlreadyExists, StatusCode.Aborted, StatusCode.OutOfRange, StatusCode.PermissionDenied,
        StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded, StatusCode.Cancelled,
    ];

    private static readonly string[] Hostile =
    [
        "", " ", "Bad Id", "UPPER", new('a', 65), new('x', 100_000), "\u0000", "a\u0000b", "\u202Eevil", "😀", "../../etc/passwd",
        "'; DROP TABLE accounts; --", "\uFFFD", "a\nb", "中文名字", "-leading-dash", "a b", "%00", "\t", new('中', 5_000),
    ];

    private string[] _existing = [];

    [Fact]
    public async Task Ten_thousand_hostile_requests_change_nothing_and_get_documented_statuses()
    {
        _existing = await SeedAsync();
        var before = await DigestAsync();
        var random = new Random(20261129);
        var invoker = silo.Channel.CreateCallInvoker();
        var sent = 0;
        var failures = new List<string>();

        foreach (var service in Services)
            foreach (var method in service.Methods)
            {
                var write = IsWrite(method.Name);
                for (var i = 0; i < TypedPerMethod; i++)
                {
                    var request = RandomMessage(method.InputType, random, write, depth: 0, small: false);
                    if (request.CalculateSize() > 8 * 1024 * 1024) continue; // past the silo's receive limit: the framework refuses it unread
                    var status = await CallAsync(invoker, service, method, request.ToByteArray());
                    sent++;
                    if (!Documented.Contains(status.StatusCode))
                        failures.Add($"{method.FullName} {status.StatusCode} ({status.Detail}) for {Shorten(request)}");
                    if (write && status.StatusCode == StatusCode.OK && !AnswersPerItem(method.Name))
                        failures.Add($"{method.FullName} accepted a write without a valid id: {Shorten(request)}");
                }
                for (var i = 0; i < RawPerMethod; i++)
                {
                    await CallAsync(invoker, service, method, RawGarbage(random, i)); // any status: only the silo's survival counts
                    sent++;
                }
            }

        Assert.True(sent >= 10_000, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        var unhandled = silo.Logs.Entries.Where(e => e.StartsWith("Error ActorCrm.Silo.Api.ApiInterceptor", StringComparison.Ordinal)).ToList();
        Assert.True(unhandled.Count == 0, string.Join("\n", unhandled.Take(5).Select(e => e.Length > 1500 ? e[..1500] : e)));
        Assert.Equal(before, await DigestAsync());
        var health = await new Health.HealthClient(silo.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private static bool IsWrite(string method) =>
        method.StartsWith("Create", StringComparison.Ordinal) || method.StartsWith("Update", StringComparison.Ordinal)
        || method.StartsWith("Delete", StringComparison.Ordinal) || method.StartsWith("Batch", StringComparison.Ordinal)
        || method is "LogActivity" or "RecordRevenue" or "IngestRevenue" or "ErasePersonalData" or "ConfirmIntel";

    /// <summary>Calls that answer OK with a refusal per item (each item must then be refused: the digest checks it).</summary>
    private static bool AnswersPerItem(string method) => method is "BatchCreateAccounts" or "RecordRevenue" or "IngestRevenue";

    private static async Task<Status> CallAsync(CallInvoker invoker, ServiceDescriptor service, MethodDescriptor method, byte[] payload)
    {
        var type = method.IsClientStreaming && method.IsServerStreaming ? MethodType.DuplexStreaming
            : method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var call = new Method<byte[], byte[]>(type, service.FullName, method.Name, Bytes, Bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(call, null, options, payload);
                    break;
                case MethodType.ServerStreaming:
                    // The first message (or the refusal) is enough; a stream with nothing to say yet is cancelled after a second.
                    using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
                    using (var stream = invoker.AsyncServerStreamingCall(call, null, new CallOptions(cancellationToken: cancel.Token), payload))
                    {
                        await stream.ResponseStream.MoveNext(CancellationToken.None);
                    }
                    break;
                default:
                    using (var duplex = invoker.AsyncDuplexStreamingCall(call, null, options))
                    {
                        await duplex.RequestStream.WriteAsync(payload);
                        await duplex.RequestStream.CompleteAsync();
                        while (await duplex.ResponseStream.MoveNext(CancellationToken.None)) { }
                    }
                    break;
            }
            return Status.DefaultSuccess;
        }
        catch (RpcException error)
        {
            return error.Status;
        }
    }

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    // ---------------------------------------------------------------- random requests

    /// <param name="small">Inside a huge repeated field: short strings and no huge lists below, so a request stays within a few MB.</param>
    private IMessage RandomMessage(MessageDescriptor descriptor, Random random, bool write, int depth, bool small)
    {
        var message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (random.Next(100) < 35) continue;
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                var huge = !small && random.Next(20) == 0;
                var count = huge ? random.Next(2_000, 12_000) : random.Next(3) == 0 ? 0 : random.Next(1, 4);
                for (var i = 0; i < count; i++)
                    if (RandomValue(field, random, write, depth, small || huge) is { } item) list.Add(item);
            }
            else if (field.FieldType != FieldType.Message || depth < 4)
            {
                if (RandomValue(field, random, write, depth, small) is { } value) field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private object? RandomValue(FieldDescriptor field, Random random, bool write, int depth, bool small) => field.FieldType switch
    {
        FieldType.String => small ? Pick(random, Hostile[..5]) : RandomString(field, random, write),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Pick(random, [0, -1, 1, int.MaxValue, int.MinValue, random.Next()]),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Pick(random, [0L, -1L, long.MaxValue, long.MinValue, 1_000_000_000_000_000L, random.NextInt64()]),
        FieldType.UInt32 or FieldType.Fixed32 => Pick(random, [0u, uint.MaxValue, (uint)random.Next()]),
        FieldType.UInt64 or FieldType.Fixed64 => Pick(random, [0ul, ulong.MaxValue]),
        FieldType.Double => Pick(random, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -0.0, 1e-300]),
        FieldType.Float => Pick(random, [float.NaN, float.PositiveInfinity, float.MaxValue]),
        FieldType.Bytes => ByteString.CopyFrom(RandomBytes(random, random.Next(64))),
        FieldType.Enum => System.Enum.ToObject(field.EnumType.ClrType, Pick(random, [0, 1, 2, 3, 5, 999, -7, int.MaxValue])),
        FieldType.Message => RandomMessage(field.MessageType, random, write, depth + 1, small),
        _ => null,
    };

    private string RandomString(FieldDescriptor field, Random random, bool write)
    {
        // Reads may name existing resources, to reach deeper checks; writes never get a valid id.
        if (!write && field.Name.EndsWith("_id", StringComparison.Ordinal) && random.Next(3) == 0) return Pick(random, _existing);
        if (random.Next(4) == 0)
        {
            var text = new StringBuilder();
            for (var i = random.Next(1, 40); i > 0; i--) text.Append((char)random.Next(0x20, 0xD7FF));
            return text.ToString();
        }
        return Pick(random, Hostile);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Undecodable or barely decodable bodies: random bytes, nesting past the limit, invalid UTF-8 in field 1, truncations.</summary>
    private static byte[] RawGarbage(Random random, int i) => (i % 4) switch
    {
        0 => RandomBytes(random, random.Next(0, 2_000)),
        1 => Nested(random.Next(90, 400)),
        2 => [0x0A, 0x04, 0xFF, 0xFE, 0xC0, 0x80, 0x12, 0x02, 0xED, 0xA0], // field 1 and 2 as strings holding invalid UTF-8
        _ => [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x61], // a length far past the end
    };

    private static byte[] Nested(int depth)
    {
        var body = Array.Empty<byte>();
        for (var i = 0; i < depth; i++)
        {
            var length = new List<byte>();
            var n = (uint)body.Length;
            do
            {
                var b = (byte)(n & 0x7F);
                n >>= 7;
                length.Add(n > 0 ? (byte)(b | 0x80) : b);
            } while (n > 0);
            body = [0x0A, .. length, .. body];
        }
        return body;
    }

    private static string Shorten(IMessage message)
    {
        var text = message.ToString() ?? "";
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    // ---------------------------------------------------------------- the state before and after

    private async Task<string[]> SeedAsync()
    {
        var hq = Ids.New("fz-hq");
        var unit = Ids.New("fz-unit");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(hq) });
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(unit, hq) });
        var contact = Ids.New("fz-contact");
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(contact, hq) });
        var opportunity = Ids.New("fz-opp");
        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(hq, opportunity) });
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new RevenueEvent { EventId = "fz-inv-1", AccountId = unit, AmountMinor = 12_345_00, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow()) } },
        });
        return [hq, unit, contact, opportunity];
    }

    /// <summary>Every account (full), contact, opportunity, activity and revenue event, and the figures — everything a request could change.</summary>
    private async Task<string> DigestAsync()
    {
        var text = new StringBuilder();
        var token = "";
        var accountIds = new List<string>();
        do
        {
            var page = await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { View = AccountListView.Full, PageToken = token, PageSize = 1000 });
            foreach (var account in page.Accounts)
            {
                // Rank and class are the ranking's (the figures below cover it); they appear once its first flush lands.
                account.Rank = 0;
                account.AbcClass = AbcClass.Unspecified;
                text.AppendLine(account.ToString());
                accountIds.Add(account.AccountId);
            }
            token = page.NextPageToken;
        } while (token.Length > 0);
        foreach (var id in accountIds)
        {
            text.AppendLine((await silo.Contacts.ListContactsAsync(new ListContactsRequest { AccountId = id, PageSize = 1000 })).ToString());
            text.AppendLine((await silo.Opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = id, PageSize = 1000 })).ToString());
            text.AppendLine((await silo.Opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = id, PageSize = 1000 })).ToString());
            text.AppendLine((await silo.Revenue.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = id, PageSize = 1000 })).ToString());
        }
        foreach (var scope in new[] { RankingScope.Account, RankingScope.Group })
        {
            await Task.Delay(300); // a flush after the last accepted change
            var figures = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = scope });
            text.AppendLine($"{scope}: {figures.AccountCount} {figures.TotalRevenueMinor} {figures.ParetoShare} {figures.Hhi}");
        }
        return text.ToString();
    }
}
