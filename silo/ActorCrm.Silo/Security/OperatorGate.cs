using System.Net;
using Microsoft.Extensions.Options;

namespace ActorCrm.Silo.Security;

/// <summary>/metrics and the Orleans dashboard: an admin's key or token, or (when configured) any loopback caller.</summary>
public static class OperatorGate
{
    public static async Task RequireAdminAsync(HttpContext http, RequestDelegate next)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (options.OperatorEndpointsOpenOnLoopback && http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote))
        {
            await next(http);
            return;
        }
        var authentication = await http.RequestServices.GetRequiredService<Authenticator>().AuthenticateAsync(http);
        if (authentication.Caller is not { } caller)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return;
        }
        if (!caller.Can(Permissions.Administer))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(http);
    }
}

/// <summary>Names every problem of the Auth settings at start (the silo does not start with any).</summary>
public sealed class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
