using Google.Protobuf;

namespace ActorCrm.Client.Import;

/// <summary>
/// One record of an input: its line number (1-based; a CSV header is line 1) and either the parsed
/// message or why it could not be parsed. The raw text is produced only when a row is rejected.
/// </summary>
public sealed record SourceRow(long Line, IMessage? Message, string? Error, Func<string> Raw);

/// <summary>A stream of records that can be read again (the second pass re-reads only some lines).</summary>
public interface IRecordSource
{
    /// <summary>The rows, in input order; with <paramref name="onlyLines"/> just those lines.</summary>
    IAsyncEnumerable<SourceRow> ReadAsync(IReadOnlySet<long>? onlyLines, CancellationToken cancel);

    /// <summary>Units of work in the whole input (bytes of a file, items of a list), for progress.</summary>
    long TotalUnits { get; }

    /// <summary>Units consumed so far in the current pass.</summary>
    long ConsumedUnits { get; }

    /// <summary>The input's name (a path, or "demo").</summary>
    string Name { get; }
}

/// <summary>Rows from a list in memory (the demo book); line = index + 1.</summary>
public sealed class MemoryRecordSource(string name, IReadOnlyList<IMessage> items) : IRecordSource
{
    private long _consumed;

    public long TotalUnits => items.Count;

    public long ConsumedUnits => Interlocked.Read(ref _consumed);

    public string Name => name;

    public async IAsyncEnumerable<SourceRow> ReadAsync(IReadOnlySet<long>? onlyLines, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel)
    {
        await Task.CompletedTask;
        Interlocked.Exchange(ref _consumed, 0);
        for (var i = 0; i < items.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            Interlocked.Exchange(ref _consumed, i + 1);
            var line = i + 1L;
            if (onlyLines is not null && !onlyLines.Contains(line)) continue;
            var item = items[i];
            yield return new SourceRow(line, item, null, () => Output.ProtoJson.Format(item));
        }
    }
}
