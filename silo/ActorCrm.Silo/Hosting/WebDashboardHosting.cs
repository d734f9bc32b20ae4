using Microsoft.Extensions.FileProviders;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// The sales directors' web dashboard (client/dashboard): its built files served as static files
/// with index.html for every other page path, so http://127.0.0.1:7080/ opens it. The page talks to
/// the silo only through the public gRPC-Web API, with the caller's own credentials; the files
/// themselves hold no data and need none. WebDashboard:Root is the folder of the built files
/// (default: client/dashboard/dist of the repository the silo was built in). When they are not
/// built, "/" says how to build them. Not to be confused with Dashboard:Enabled, the Orleans
/// operator dashboard at /dashboard.
/// </summary>
public static class WebDashboardHosting
{
    public const string RootKey = "WebDashboard:Root";

    public static WebApplication MapWebDashboard(this WebApplication app)
    {
        var root = app.Configuration[RootKey] ?? DefaultRoot();
        if (root is null || !File.Exists(Path.Combine(root, "index.html")))
        {
            app.MapGet("/", () => Results.Text(
                $"The web dashboard is not built ({root ?? "client/dashboard/dist not found"}). Build it with " +
                "`npm ci && npm run build` in client/dashboard (tools/run.sh does this), or point WebDashboard:Root at the built files, then restart the silo.\n"));
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Vite names every asset by its content hash; index.html must be fetched fresh to pick up a new build.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        });
        // Every other page path (no file extension, GET) is the page itself; the operator paths keep
        // their own answers (e.g. /dashboard is 404 while the Orleans dashboard is off).
        var index = files.GetFileInfo("index.html");
        app.MapFallback("{*path:nonfile}", async http =>
        {
            if (OperatorPaths.Any(path => http.Request.Path.StartsWithSegments(path)))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.SendFileAsync(index);
        }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
        return app;
    }

    private static readonly string[] OperatorPaths = ["/dashboard", "/metrics", "/health"];

    /// <summary>client/dashboard/dist of the first folder above the silo's binaries that holds client/dashboard.</summary>
    private static string? DefaultRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var dashboard = Path.Combine(folder.FullName, "client", "dashboard");
            if (File.Exists(Path.Combine(dashboard, "package.json"))) return Path.Combine(dashboard, "dist");
        }
        return null;
    }
}
