using System.Text.Json.Serialization;

namespace ActorCrm.Client.Import;

/// <summary>A rejected row: its line (1-based, a CSV header is line 1) and why.</summary>
public sealed record Reject(
    [property: JsonPropertyName("line")] long Line,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>The result of one import (JSON names are snake_case like the API's).</summary>
public sealed class ImportSummary
{
    /// <summary>At most this many rejects are kept in the summary; the rejects file has them all.</summary>
    public const int MaxListedRejects = 1000;

    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("rows")] public long Rows => Created + Updated + Unchanged + Rejected + Expired;
    [JsonPropertyName("created")] public long Created { get; set; }
    [JsonPropertyName("updated")] public long Updated { get; set; }
    [JsonPropertyName("unchanged")] public long Unchanged { get; set; }
    [JsonPropertyName("rejected")] public long Rejected { get; set; }
    /// <summary>Revenue only: dated before the rolling window, so not stored (not an error).</summary>
    [JsonPropertyName("expired")] public long Expired { get; set; }
    [JsonPropertyName("passes")] public int Passes { get; set; }
    [JsonPropertyName("seconds")] public double Seconds { get; set; }
    [JsonPropertyName("rows_per_second")] public double RowsPerSecond => Seconds > 0 ? Math.Round(Rows / Seconds, 1) : 0;
    [JsonPropertyName("rejects")] public List<Reject> Rejects { get; } = [];
    [JsonPropertyName("rejects_file")] public string? RejectsFile { get; set; }

    [JsonIgnore] public bool AllGood => Rejected == 0;

    /// <summary>0 when every row landed (or was already there), 3 when some were rejected, 1 when all were.</summary>
    [JsonIgnore]
    public int ExitCode => Rejected == 0 ? ExitCodes.Success : Rows > Rejected ? ExitCodes.PartialSuccess : ExitCodes.Failure;
}
