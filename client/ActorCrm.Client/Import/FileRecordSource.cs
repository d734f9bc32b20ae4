using System.Globalization;
using System.Runtime.CompilerServices;
using ActorCrm.Client.Output;
using CsvHelper;
using Google.Protobuf;

namespace ActorCrm.Client.Import;

/// <summary>File formats of import and export.</summary>
public enum FileFormat { Auto, Csv, Jsonl }

/// <summary>
/// Streams a CSV (with header) or JSON Lines file one row at a time (constant memory). Line numbers
/// are the file's physical lines: a CSV header is line 1, a quoted cell spanning lines counts them all,
/// and a row is numbered by its first line. Blank JSON lines are skipped.
/// </summary>
public sealed class FileRecordSource : IRecordSource
{
    private readonly ImportKind _kind;
    private readonly FileFormat _format;
    private readonly string _path;
    private long _consumed;

    public FileRecordSource(ImportKind kind, string path, FileFormat format)
    {
        if (!File.Exists(path)) throw new CliException($"no such file: {path}");
        _kind = kind;
        _path = path;
        _format = Resolve(path, format);
        TotalUnits = new FileInfo(path).Length;
    }

    public static FileFormat Resolve(string path, FileFormat format) => format != FileFormat.Auto ? format
        : Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => FileFormat.Csv,
            ".jsonl" or ".ndjson" or ".json" => FileFormat.Jsonl,
            _ => throw new CliException($"cannot tell the format of '{path}' from its extension: use --format csv|jsonl", ExitCodes.Usage),
        };

    public FileFormat Format => _format;

    public long TotalUnits { get; }

    public long ConsumedUnits => Interlocked.Read(ref _consumed);

    public string Name => _path;

    public IAsyncEnumerable<SourceRow> ReadAsync(IReadOnlySet<long>? onlyLines, CancellationToken cancel) =>
        _format == FileFormat.Csv ? ReadCsvAsync(onlyLines, cancel) : ReadJsonLinesAsync(onlyLines, cancel);

    private Stream Open()
    {
        Interlocked.Exchange(ref _consumed, 0);
        return new CountingStream(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            n => Interlocked.Add(ref _consumed, n));
    }

    private async IAsyncEnumerable<SourceRow> ReadJsonLinesAsync(IReadOnlySet<long>? onlyLines, [EnumeratorCancellation] CancellationToken cancel)
    {
        using var reader = new StreamReader(Open(), System.Text.Encoding.UTF8);
        var descriptor = _kind.Descriptor();
        long line = 0;
        while (await reader.ReadLineAsync(cancel) is { } text)
        {
            line++;
            if (onlyLines is not null && !onlyLines.Contains(line)) continue;
            if (string.IsNullOrWhiteSpace(text)) continue;
            IMessage? message = null;
            string? error = null;
            try
            {
                message = Kinds.WithoutOutputOnly(ProtoJson.Parser.Parse(text, descriptor));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                error = e.Message;
            }
            yield return new SourceRow(line, message, error, () => text);
        }
    }

    private async IAsyncEnumerable<SourceRow> ReadCsvAsync(IReadOnlySet<long>? onlyLines, [EnumeratorCancellation] CancellationToken cancel)
    {
        var options = new CsvReaderOptions { HasHeader = true, Separator = ',', TrackLineNumbers = true };
        await using var csv = CsvReader.Create(Open(), options, false);
        await csv.ReadHeaderAsync(cancel);
        var mapping = CsvMapping.ForHeader(_kind, csv.Headers.ToList());
        while (await csv.ReadAsync(cancel))
        {
            long line = csv.LineNumber;
            if (onlyLines is not null && !onlyLines.Contains(line)) continue;
            var cells = new string[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = csv.GetString(i);
            var raw = System.Text.Encoding.UTF8.GetString(csv.RawRecord);
            IMessage? message = null;
            string? error = null;
            try
            {
                message = mapping.Parse(cells);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }
            yield return new SourceRow(line, message, error, () => raw);
        }
    }

    /// <summary>Reports bytes as they are read, for the progress bar's ETA.</summary>
    private sealed class CountingStream(Stream inner, Action<long> onRead) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); onRead(n); return n; }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            onRead(n);
            return n;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
