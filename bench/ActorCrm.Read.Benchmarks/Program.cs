using System.Buffers.Binary;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The read benchmark's helper (bench/read.sh drives it):
//   prepare ADDRESS DIR        picks the read targets on a running silo and writes, per target, the
//                              gRPC request body h2load sends (DIR/<name>.bin) and DIR/targets.tsv
//   serve SOURCE LISTEN DIR    the bare baseline: fetches the silo's reply for every target once,
//                              then answers the same methods with those replies from a dictionary
try
{
    return args switch
    {
        ["prepare", var address, var dir] => await Prepare.RunAsync(address, dir),
        ["serve", var source, var listen, var dir] => await Bare.RunAsync(source, listen, dir),
        _ => Usage(),
    };
}
catch (Exception error) when (error is RpcException or InvalidOperationException)
{
    Console.Error.WriteLine(error.Message); // read.sh retries prepare until the demo data is there
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: prepare ADDRESS DIR | serve SOURCE_ADDRESS LISTEN_URL DIR");
    return 2;
}

/// <summary>One read to measure: its gRPC path and request.</summary>
internal sealed record Target(string Name, string Path, IMessage Request);

internal static class Prepare
{
    public const string SmallAccountId = "bench-read-small";

    public static async Task<int> RunAsync(string address, string dir)
    {
        using var channel = ActorCrmChannel.Create(address, credentials: ActorCrmCredentials.Discover());
        var accounts = new AccountService.AccountServiceClient(channel);
        var contacts = new ContactService.ContactServiceClient(channel);
        var opportunities = new OpportunityService.OpportunityServiceClient(channel);

        try
        {
            await accounts.CreateAccountAsync(new CreateAccountRequest
            {
                Account = new Account { AccountId = SmallAccountId, DisplayName = "读基准小客户", Kind = AccountKind.Business, Tier = StrategicTier.NationalHq },
            });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
        }

        // The full key account: the largest reply among the first accounts listed (the demo's key accounts).
        var listed = await accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 200, View = AccountListView.Full });
        var full = listed.Accounts.Where(a => a.AccountId != SmallAccountId).MaxBy(a => a.CalculateSize())
            ?? throw new InvalidOperationException("the silo holds no account besides the small one: start it with demo data");
        var contact = (await contacts.ListContactsAsync(new ListContactsRequest { AccountId = full.AccountId, PageSize = 1 })).Contacts.FirstOrDefault()
            ?? throw new InvalidOperationException($"account {full.AccountId} has no contact");
        var opportunity = (await opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = full.AccountId, PageSize = 1 })).Opportunities.FirstOrDefault()
            ?? throw new InvalidOperationException($"account {full.AccountId} has no opportunity");

        Target[] targets =
        [
            new("GetAccount-small", "/actorcrm.v1.AccountService/GetAccount", new GetAccountRequest { AccountId = SmallAccountId }),
            new("GetAccount-full", "/actorcrm.v1.AccountService/GetAccount", new GetAccountRequest { AccountId = full.AccountId }),
            // The same account read with a mask of every field but the insights (AIP-157): what a caller that does not need them pays.
            new("GetAccount-full-no-insights", "/actorcrm.v1.AccountService/GetAccount", new GetAccountRequest
            {
                AccountId = full.AccountId,
                ReadMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { Account.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Where(name => name != "insights") } },
            }),
            new("GetContact", "/actorcrm.v1.ContactService/GetContact", new GetContactRequest { ContactId = contact.ContactId }),
            new("GetOpportunity", "/actorcrm.v1.OpportunityService/GetOpportunity",
                new GetOpportunityRequest { AccountId = full.AccountId, OpportunityId = opportunity.OpportunityId }),
            new("GetAccountRank", "/actorcrm.v1.RankingService/GetAccountRank", new GetAccountRankRequest { AccountId = full.AccountId }),
            new("ListTopAccounts-20", "/actorcrm.v1.RankingService/ListTopAccounts", new ListTopAccountsRequest { PageSize = 20 }),
            new("GetConcentration", "/actorcrm.v1.RankingService/GetConcentration", new GetConcentrationRequest()),
        ];

        Directory.CreateDirectory(dir);
        var lines = new List<string>();
        foreach (var target in targets)
        {
            var body = target.Request.ToByteArray();
            var frame = new byte[5 + body.Length]; // gRPC framing: not compressed, 4-byte big-endian length
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
            body.CopyTo(frame, 5);
            await File.WriteAllBytesAsync(Path.Combine(dir, target.Name + ".bin"), frame);
            lines.Add($"{target.Name}\t{target.Path}\t{Convert.ToBase64String(body)}");
        }
        await File.WriteAllLinesAsync(Path.Combine(dir, "targets.tsv"), lines);
        Console.WriteLine($"targets written to {dir}: small account {SmallAccountId}, full account {full.AccountId} ({full.CalculateSize():N0} bytes), contact {contact.ContactId}, opportunity {opportunity.OpportunityId}");
        return 0;
    }
}

/// <summary>
/// The bare service: the methods the benchmark reads, answered from a dictionary with the replies the
/// silo gave for the same requests (so both send equally sized messages), on Kestrel configured as
/// the silo configures it (HTTP/2 cleartext on loopback, default limits). No interceptors, no
/// telemetry, no validation: the cost of gRPC on ASP.NET Core and nothing else.
/// </summary>
internal static class Bare
{
    public static async Task<int> RunAsync(string source, string listen, string dir)
    {
        var replies = new Replies();
        using (var channel = ActorCrmChannel.Create(source, credentials: ActorCrmCredentials.Discover()))
        {
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(dir, "targets.tsv")))
            {
                var fields = line.Split('\t');
                await replies.FetchAsync(channel, fields[1], Convert.FromBase64String(fields[2]));
            }
        }

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        var uri = new Uri(listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Parse(uri.Host), uri.Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(replies);
        var app = builder.Build();
        app.MapGrpcService<BareAccounts>();
        app.MapGrpcService<BareContacts>();
        app.MapGrpcService<BareOpportunities>();
        app.MapGrpcService<BareRanking>();
        Console.WriteLine($"bare service on {listen} with {replies.Count} replies");
        await app.RunAsync();
        return 0;
    }
}

/// <summary>The silo's replies, keyed by method path and the request's key field (as a bare service would key them).</summary>
internal sealed class Replies
{
    private readonly Dictionary<(string Path, string Key), IMessage> _replies = [];

    private static string KeyOf(IMessage request) => request switch
    {
        GetAccountRequest r => r.ReadMask is null ? r.AccountId : $"{r.AccountId}?{r.ReadMask}",
        GetContactRequest r => r.ContactId,
        GetOpportunityRequest r => r.OpportunityId,
        GetAccountRankRequest r => r.AccountId,
        ListTopAccountsRequest r => r.PageSize.ToString(),
        GetConcentrationRequest r => r.Scope.ToString(),
        _ => throw new InvalidOperationException($"no bare method for {request.Descriptor.FullName}"),
    };

    public int Count => _replies.Count;

    public async Task FetchAsync(Grpc.Net.Client.GrpcChannel channel, string path, byte[] request)
    {
        var invoker = channel.CreateCallInvoker();
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], bytes, bytes);
        var reply = await invoker.AsyncUnaryCall(method, null, new CallOptions(), request);
        (IMessage Request, IMessage Reply) parsed = parts[1] switch
        {
            "GetAccount" => (GetAccountRequest.Parser.ParseFrom(request), Account.Parser.ParseFrom(reply)),
            "GetContact" => (GetContactRequest.Parser.ParseFrom(request), Contact.Parser.ParseFrom(reply)),
            "GetOpportunity" => (GetOpportunityRequest.Parser.ParseFrom(request), Opportunity.Parser.ParseFrom(reply)),
            "GetAccountRank" => (GetAccountRankRequest.Parser.ParseFrom(request), AccountRank.Parser.ParseFrom(reply)),
            "ListTopAccounts" => (ListTopAccountsRequest.Parser.ParseFrom(request), ListTopAccountsResponse.Parser.ParseFrom(reply)),
            "GetConcentration" => (GetConcentrationRequest.Parser.ParseFrom(request), Concentration.Parser.ParseFrom(reply)),
            _ => throw new InvalidOperationException($"no bare method for {path}"),
        };
        _replies[(path, KeyOf(parsed.Request))] = parsed.Reply;
    }

    public Task<T> Get<T>(string path, IMessage request) where T : IMessage =>
        _replies.TryGetValue((path, KeyOf(request)), out var reply)
            ? Task.FromResult((T)reply)
            : throw new RpcException(new Status(StatusCode.NotFound, "not a benchmark target"));
}

internal sealed class BareAccounts(Replies replies) : AccountService.AccountServiceBase
{
    public override Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context) =>
        replies.Get<Account>("/actorcrm.v1.AccountService/GetAccount", request);
}

internal sealed class BareContacts(Replies replies) : ContactService.ContactServiceBase
{
    public override Task<Contact> GetContact(GetContactRequest request, ServerCallContext context) =>
        replies.Get<Contact>("/actorcrm.v1.ContactService/GetContact", request);
}

internal sealed class BareOpportunities(Replies replies) : OpportunityService.OpportunityServiceBase
{
    public override Task<Opportunity> GetOpportunity(GetOpportunityRequest request, ServerCallContext context) =>
        replies.Get<Opportunity>("/actorcrm.v1.OpportunityService/GetOpportunity", request);
}

internal sealed class BareRanking(Replies replies) : RankingService.RankingServiceBase
{
    public override Task<AccountRank> GetAccountRank(GetAccountRankRequest request, ServerCallContext context) =>
        replies.Get<AccountRank>("/actorcrm.v1.RankingService/GetAccountRank", request);

    public override Task<ListTopAccountsResponse> ListTopAccounts(ListTopAccountsRequest request, ServerCallContext context) =>
        replies.Get<ListTopAccountsResponse>("/actorcrm.v1.RankingService/ListTopAccounts", request);

    public override Task<Concentration> GetConcentration(GetConcentrationRequest request, ServerCallContext context) =>
        replies.Get<Concentration>("/actorcrm.v1.RankingService/GetConcentration", request);
}
