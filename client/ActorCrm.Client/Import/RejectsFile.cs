using System.Globalization;
using CsvHelper;

namespace ActorCrm.Client.Import;

/// <summary>
/// The rejects of an import, as CSV with columns line, reason, record (the row's original text), so
/// they can be fixed and imported again. Created on the first reject; an old file of the same name is
/// removed at the start of the import.
/// </summary>
public sealed class RejectsFile : IDisposable
{
    private readonly string? _path;
    private readonly Lock _lock = new();
    private CsvWriter? _writer;

    public RejectsFile(string? path)
    {
        _path = path;
        if (path is not null && File.Exists(path)) File.Delete(path);
    }

    public string? PathIfWritten => _writer is null ? null : _path;

    public void Write(long line, string reason, string record)
    {
        if (_path is null) return;
        lock (_lock)
        {
            if (_writer is null)
            {
                _writer = CsvWriter.Create(new StreamWriter(_path, append: false, new System.Text.UTF8Encoding(false)), new CsvWriterOptions(), false);
                _writer.WriteRecord(["line", "reason", "record"]);
            }
            _writer.WriteRecord([line.ToString(CultureInfo.InvariantCulture), reason, record]);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_lock) _writer?.Dispose();
    }
}
