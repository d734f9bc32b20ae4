using System.CommandLine;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>Options every command accepts (recursive) and the shared way a command runs.</summary>
public static class GlobalOptions
{
    public static readonly Option<string> Address = new("--address")
    {
        Description = "The silo's gRPC endpoint",
        DefaultValueFactory = _ => ActorCrmChannel.DefaultAddress,
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = $"API key to call with (default: ${ActorCrmCredentials.ApiKeyVariable}, else the local admin key in {ActorCrmCredentials.LocalAdminKeyPath} of this or a parent directory)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"JWT bearer token to call with instead of an API key (default: ${ActorCrmCredentials.TokenVariable})",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Output = new("--output")
    {
        Description = "table or json (JSON uses the proto's snake_case field names)",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public static readonly Option<RankingScopeOption> Scope = new("--scope")
    {
        Description = "account (each account) or group (each top-level account with everything below it)",
        DefaultValueFactory = _ => RankingScopeOption.Account,
    };

    public static RankingScope ToProto(this RankingScopeOption scope) =>
        scope == RankingScopeOption.Group ? RankingScope.Group : RankingScope.Account;

    /// <summary>
    /// Runs a command body with a channel to --address. A gRPC error the body does not handle is
    /// printed as "STATUS: detail" and exits with <see cref="ExitCodes.Failure"/>.
    /// </summary>
    public static async Task<int> RunAsync(CliHost host, ParseResult parse, Func<CommandContext, Task<int>> body)
    {
        var credentials = ActorCrmCredentials.FromArgumentsOrEnvironment(parse.GetValue(ApiKey), parse.GetValue(Token));
        using var channel = host.OpenChannel(parse.GetValue(Address)!, credentials);
        var context = new CommandContext(host, channel, parse.GetValue(Output), parse.GetValue(Address)!, credentials);
        try
        {
            return await body(context);
        }
        catch (RpcException error)
        {
            host.Err.MarkupLineInterpolated($"[red]{error.StatusCode}[/]: {error.Status.Detail}");
            if (error.StatusCode == StatusCode.Unauthenticated)
                host.Err.MarkupLineInterpolated($"hint: pass --api-key or --token, or set {ActorCrmCredentials.ApiKeyVariable}; a local run (tools/run.sh) keeps its admin key in {ActorCrmCredentials.LocalAdminKeyPath}, found from inside the repository");
            return ExitCodes.Failure;
        }
        catch (IOException error)
        {
            host.Err.MarkupLineInterpolated($"[red]error[/]: {error.Message}");
            return ExitCodes.Failure;
        }
        catch (CliException error)
        {
            host.Err.MarkupLineInterpolated($"[red]error[/]: {error.Message}");
            return error.ExitCode;
        }
    }
}

/// <summary>What a running command has: the host, an open channel and the output format.</summary>
public sealed record CommandContext(CliHost Host, GrpcChannel Channel, OutputFormat Output, string Address, ActorCrmCredentials? Credentials)
{
    public bool Json => Output == OutputFormat.Json;
    public AccountService.AccountServiceClient Accounts => new(Channel);
    public ContactService.ContactServiceClient Contacts => new(Channel);
    public OpportunityService.OpportunityServiceClient Opportunities => new(Channel);
    public RevenueService.RevenueServiceClient Revenue => new(Channel);
    public RankingService.RankingServiceClient Ranking => new(Channel);
}

public enum RankingScopeOption { Account, Group }
