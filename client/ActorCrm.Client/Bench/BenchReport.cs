using System.Text.Json.Serialization;

namespace ActorCrm.Client.Bench;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencyMs(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p999")] double P999,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("mean")] double Mean);

/// <summary>The result of one `actorcrm bench` run (the JSON scripts read).</summary>
public sealed record BenchReport
{
    [JsonPropertyName("operation")] public required string Operation { get; init; }
    /// <summary>"closed" (each worker sends its next request when the last returns) or "open" (fixed rate).</summary>
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("concurrency")] public int Concurrency { get; init; }
    [JsonPropertyName("connections")] public int Connections { get; init; }
    [JsonPropertyName("duration_seconds")] public double DurationSeconds { get; init; }
    /// <summary>Requests per second asked for (open loop); 0 for closed loop.</summary>
    [JsonPropertyName("target_rate")] public double TargetRate { get; init; }
    [JsonPropertyName("requests")] public long Requests { get; init; }
    [JsonPropertyName("errors")] public long Errors { get; init; }
    [JsonPropertyName("requests_per_second")] public double RequestsPerSecond { get; init; }
    /// <summary>Open loop: from the scheduled send time, so a stall shows in every request it delays.</summary>
    [JsonPropertyName("latency_ms")] public required LatencyMs LatencyMs { get; init; }
    [JsonPropertyName("client_cpu_seconds")] public double ClientCpuSeconds { get; init; }
    /// <summary>Error counts by status (e.g. "Unavailable", or "Rejected:TOO_FAR_IN_FUTURE" for revenue).</summary>
    [JsonPropertyName("error_kinds")] public IReadOnlyDictionary<string, long> ErrorKinds { get; init; } = new Dictionary<string, long>();
}
