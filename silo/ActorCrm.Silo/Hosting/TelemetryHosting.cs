using ActorCrm.Grains.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// OpenTelemetry for the silo, in one place: what is traced, measured and logged, and where it goes.
///   Traces: ASP.NET Core (the gRPC server), Orleans grain calls (runtime + application) and Orleans storage,
///     sampled parent-based with ratio Telemetry:TraceSampleRatio (default <see cref="DefaultSampleRatio"/>).
///   Metrics: the Orleans meter, ASP.NET Core / Kestrel, the .NET runtime and the ActorCrm meter
///     (<see cref="ActorCrmMetrics"/>), served for Prometheus at /metrics.
///   Logs: Microsoft.Extensions.Logging through the OpenTelemetry logger (structured templates).
///   Export: OTLP (all three signals) only when Telemetry:Otlp:Endpoint or OTEL_EXPORTER_OTLP_ENDPOINT
///     is set (protocol Telemetry:Otlp:Protocol or OTEL_EXPORTER_OTLP_PROTOCOL: grpc, the default, or
///     http/protobuf); nothing else leaves the process.
/// </summary>
public static class TelemetryHosting
{
    /// <summary>Tracing every grain call roughly halves throughput on a 2-core box: trace a small share of new traces.</summary>
    public const double DefaultSampleRatio = 0.01;

    public const string ServiceName = "actorcrm-silo";

    /// <summary>The Orleans meter (runtime, messaging, grains, storage).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// ASP.NET Core's meters that say something: request duration (rate, latency and status per gRPC
    /// method), Kestrel's connections, unhandled exceptions. Left out: routing's match attempts and the
    /// in-flight request gauge, two instrument updates on every call that add nothing to the duration
    /// histogram for an operator.
    /// </summary>
    private static readonly string[] AspNetCoreMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    public static WebApplicationBuilder AddActorCrmTelemetry(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var ratio = config.GetValue("Telemetry:TraceSampleRatio", DefaultSampleRatio);
        if (ratio is < 0 or > 1) throw new InvalidOperationException($"Telemetry:TraceSampleRatio must be between 0 and 1, not {ratio}");

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperational(http.Request.Path))
                .AddSource(
                    ActivitySources.RuntimeActivitySourceName,
                    ActivitySources.ApplicationGrainActivitySourceName,
                    ActivitySources.StorageActivitySourceName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, ActorCrmMetrics.MeterName)
                .AddMeter(AspNetCoreMeters)
                .AddView("http.server.active_requests", MetricStreamConfiguration.Drop)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        var endpoint = config["Telemetry:Otlp:Endpoint"] ?? config["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!string.IsNullOrWhiteSpace(endpoint))
            telemetry.UseOtlpExporter(Protocol(config["Telemetry:Otlp:Protocol"] ?? config["OTEL_EXPORTER_OTLP_PROTOCOL"]), new Uri(endpoint));
        return builder;
    }

    /// <summary>Probes and scrapes are not worth a trace.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/dashboard");

    private static OtlpExportProtocol Protocol(string? name) => name switch
    {
        null or "" or "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new InvalidOperationException($"OTLP protocol '{name}' is not supported; use grpc or http/protobuf"),
    };
}
