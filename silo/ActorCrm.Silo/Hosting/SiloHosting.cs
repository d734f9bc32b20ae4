using System.Net;
using System.Security.Cryptography.X509Certificates;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Silo.Api;
using ActorCrm.Silo.Seeding;
using ActorCrm.Silo.Security;
using Microsoft.Extensions.Options;
using ActorCrm.Silo.Watching;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Dashboard;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Everything the host wires, in one place. Configuration keys (all settable as --Key=value or
/// environment variables, e.g. Endpoints__Grpc):
///   Endpoints:Grpc (http://127.0.0.1:7070, cleartext HTTP/2; https://… for TLS with Tls:CertificatePath, Tls:KeyPath
///   or Tls:Password), Endpoints:Http (http://127.0.0.1:7080,
///   HTTP/1.1: health, /metrics, /dashboard), Storage:* and Clustering:* (see StorageHosting), Orleans:ClusterId,
///   Orleans:ServiceId, Orleans:Endpoints:SiloPort (11111), Orleans:Endpoints:GatewayPort (30000), Demo:Seed,
///   Demo:Accounts, Activities:Types, Ranking:* (see RankingOptions), Dashboard:Enabled (false; the Orleans operator dashboard),
///   WebDashboard:Root (the built web dashboard served at /, see WebDashboardHosting), Telemetry:* (see TelemetryHosting), Auth:* (see AuthOptions), Retention:SweepIntervalSeconds (3600), RateLimits:* (see RateLimitOptions).
/// </summary>
public static class SiloHosting
{
    private const string DashboardCorsPolicy = "dashboards";

    public static WebApplicationBuilder AddActorCrmSilo(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Cleartext gRPC needs HTTP/2 only; over TLS, ALPN lets HTTP/1.1 (gRPC-Web) in as well.
            var grpc = config["Endpoints:Grpc"] ?? "http://127.0.0.1:7070";
            Listen(kestrel, config, grpc, grpc.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2);
            Listen(kestrel, config, config["Endpoints:Http"] ?? "http://127.0.0.1:7080", HttpProtocols.Http1);
        });

        // Before the silo starts: refuse a store that belongs to another ServiceId.
        builder.Services.AddHostedService<ServiceIdGuard>();
        builder.UseOrleans(silo =>
        {
            StorageHosting.AddClustering(silo, config);
            StorageHosting.AddStorage(silo, config);
            // Grain calls join the caller's trace (the gRPC request's span) when it is sampled.
            silo.AddOutgoingGrainCallFilter<SampledTracePropagation>();
            silo.AddIncomingGrainCallFilter<SampledTracePropagation>();
            // Off by default: it profiles every grain call and shows any grain's state and live logs.
            if (DashboardEnabled(config)) silo.AddDashboard();
        });

        builder.Services.AddKeyedSingleton(ProductClock.Key, TimeProvider.System);
        builder.Services.AddSingleton(typeof(GrainReadCache<>)); // per-silo point-read caches (accounts, contacts)
        builder.Services.Configure<ActivityOptions>(config.GetSection(ActivityOptions.Section));
        builder.Services.AddOptions<RankingOptions>().Bind(config.GetSection(RankingOptions.Section))
            .Validate(o => !o.Problems().Any(), "invalid Ranking settings").ValidateOnStart();
        builder.Services.Configure<DemoOptions>(config.GetSection(DemoOptions.Section));
        builder.Services.Configure<ActorCrm.Domain.Insights.InsightOptions>(config.GetSection(ActorCrm.Domain.Insights.InsightOptions.Section));

        // Secure by default: without Auth:Mode=None the silo needs a way to authenticate callers.
        builder.Services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section))
            .PostConfigure(LocalAdminKey.Provision)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        builder.Services.AddSingleton<Authenticator>();
        builder.Services.AddSingleton<AccessPolicy>();
        builder.Services.AddSingleton<Auditor>();
        builder.Services.Configure<RateLimitOptions>(config.GetSection(RateLimitOptions.Section));
        builder.Services.AddSingleton<CallerLimits>();
        builder.Services.AddSingleton<PersonalDataGuard>();

        // Singletons: an interceptor not registered in DI is built per call (ActivatorUtilities, logger lookup).
        builder.Services.AddSingleton<ApiInterceptor>();
        builder.Services.AddSingleton<ImportCountingInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ApiInterceptor>();
            grpc.Interceptors.Add<ImportCountingInterceptor>();
            grpc.MaxReceiveMessageSize = 16 * 1024 * 1024;
        });
        builder.Services.AddGrpcReflection();
        // Ready = the silo is active and storage answers; grpc.health.v1 (service "") reports the same checks.
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddHostedService<SiloLossWatcher>();
        builder.Services.AddHostedService<RetentionSweeper>();
        builder.Services.AddHostedService<PipelineStartup>();

        // Live updates: one hub per silo fans grain notifications out to this silo's streams.
        builder.Services.AddSingleton<WatchHub>();
        builder.Services.AddSingleton(typeof(ActorCrm.Silo.Api.RecentReplies<,>)); // ranking replies shared per silo for 50 ms
        builder.Services.AddHostedService(services => services.GetRequiredService<WatchHub>());

        // Browser dashboards call the watch streams over gRPC-Web; Cors:AllowedOrigins lists the pages' origins (none by default).
        builder.Services.AddCors(cors => cors.AddPolicy(DashboardCorsPolicy, policy => policy
            .WithOrigins(config.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
            .AllowAnyHeader()
            .WithMethods("POST")
            .WithExposedHeaders("Grpc-Status", "Grpc-Message", "Grpc-Encoding", "Grpc-Accept-Encoding")));
        return builder;
    }

    public static WebApplication MapActorCrmEndpoints(this WebApplication app)
    {
        app.UseGrpcWeb();
        app.UseCors();
        // gRPC-Web for the services dashboards read (works on the HTTP/1.1 endpoint too); the web
        // dashboard's account drill-down reads contacts and opportunities as well.
        app.MapGrpcService<AccountsApi>().EnableGrpcWeb().RequireCors(DashboardCorsPolicy);
        app.MapGrpcService<ContactsApi>().EnableGrpcWeb().RequireCors(DashboardCorsPolicy);
        app.MapGrpcService<OpportunitiesApi>().EnableGrpcWeb().RequireCors(DashboardCorsPolicy);
        app.MapGrpcService<RevenueApi>();
        app.MapGrpcService<RankingApi>().EnableGrpcWeb().RequireCors(DashboardCorsPolicy);
        app.MapGrpcService<AuditApi>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        // Operator endpoints (metrics, dashboard) need an admin, unless opened to loopback callers by configuration.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/metrics") || http.Request.Path.StartsWithSegments("/dashboard"),
            operatorOnly => operatorOnly.Use(OperatorGate.RequireAdminAsync));
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (DashboardEnabled(app.Configuration)) app.MapOrleansDashboard("/dashboard");
        app.MapWebDashboard(); // last: its fallback serves index.html for page paths no endpoint above claims
        return app;
    }

    private static bool DashboardEnabled(IConfiguration config) => config.GetValue("Dashboard:Enabled", false);

    /// <summary>
    /// An http:// endpoint is cleartext; an https:// one is TLS with the certificate of
    /// Tls:CertificatePath (a PFX/PKCS#12 file, Tls:Password if it has one, or a PEM certificate with
    /// its key in Tls:KeyPath).
    /// </summary>
    private static void Listen(KestrelServerOptions kestrel, IConfiguration config, string url, HttpProtocols protocols)
    {
        var uri = new Uri(url);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"endpoint {url}: only http:// (cleartext) and https:// (TLS) endpoints are supported");
        var certificate = uri.Scheme == Uri.UriSchemeHttps ? TlsCertificate(config, url) : null;
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = protocols;
            if (certificate is not null) listen.UseHttps(certificate);
        };
        if (uri.Host is "localhost") kestrel.ListenLocalhost(uri.Port, configure);
        else if (uri.Host is "*" or "0.0.0.0" or "+") kestrel.ListenAnyIP(uri.Port, configure);
        else kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port, configure);
    }

    private static X509Certificate2 TlsCertificate(IConfiguration config, string url)
    {
        var path = config["Tls:CertificatePath"]
            ?? throw new InvalidOperationException($"endpoint {url} is https: set Tls:CertificatePath (and Tls:KeyPath for a PEM certificate)");
        return config["Tls:KeyPath"] is { Length: > 0 } keyPath
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(path, config["Tls:Password"]);
    }
}
