using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// An Azurite of a test's own (the pinned tools/azurite), on free loopback ports and a temp folder,
/// so the test can freeze it (kill -STOP) without disturbing the tests that share the common one.
/// Disposing it kills it and deletes its folder.
/// </summary>
public sealed class PrivateAzurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _paused;

    private PrivateAzurite(Process process, string folder, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        Folder = folder;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public string Folder { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public int ProcessId => _process.Id;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The folder holding ActorCrm.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ActorCrm.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no folder above {AppContext.BaseDirectory} holds ActorCrm.sln");
    }

    /// <summary>Starts the emulator and waits until its three services accept connections.</summary>
    public static async Task<PrivateAzurite> StartAsync(TimeSpan? timeout = null)
    {
        var executable = Path.Combine(RepositoryRoot(), "tools", "azurite", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"{executable} is missing: install the pinned Azurite with `npm ci` in tools/azurite (tools/azurite/azurite.sh start does it).");

        var folder = Path.Combine(Path.GetTempPath(), $"actorcrm-azurite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        int blob = SiloFactory.FreePort(), queue = SiloFactory.FreePort(), table = SiloFactory.FreePort();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "--silent", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                     "--location", folder,
                 })
            start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start azurite");
        var azurite = new PrivateAzurite(process, folder, blob, queue, table);
        process.OutputDataReceived += (_, e) => azurite.Append(e.Data);
        process.ErrorDataReceived += (_, e) => azurite.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
            while (!(Answers(blob) && Answers(queue) && Answers(table)))
            {
                if (process.HasExited) throw new InvalidOperationException($"azurite exited with {process.ExitCode}:\n{azurite.Output}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"azurite did not answer within {timeout}:\n{azurite.Output}");
                await Task.Delay(100);
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
        return azurite;
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>kill -STOP: the emulator freezes; connections are still accepted by the kernel but nothing answers.</summary>
    public void Pause()
    {
        Signal("STOP");
        _paused = true;
    }

    /// <summary>kill -CONT: the emulator goes on, with whatever requests queued up meanwhile.</summary>
    public void Resume()
    {
        Signal("CONT");
        _paused = false;
    }

    private void Signal(string signal)
    {
        if (_process.HasExited) throw new InvalidOperationException($"azurite has exited ({_process.ExitCode}):\n{Output}");
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true };
        start.ArgumentList.Add($"-{signal}");
        start.ArgumentList.Add(_process.Id.ToString());
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("could not run kill");
        var error = kill.StandardError.ReadToEnd();
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} failed: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (_paused)
            {
                try
                {
                    Resume();
                }
                catch (InvalidOperationException)
                {
                    // SIGKILL ends a stopped process too.
                }
            }
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        for (var attempt = 0; attempt < 5 && Directory.Exists(Folder); attempt++)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
        }
    }
}
