using System.Diagnostics;
using System.Text;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Grpc.Net.Client;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// A real silo in its own OS process (the built ActorCrm.Silo.dll), so a test can kill -9 it.
/// Its output is kept for failure messages.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private GrpcChannel? _channel;

    private SiloProcess(Process process, int grpcPort, int httpPort)
    {
        _process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public GrpcChannel Channel => _channel ??= ActorCrmChannel.Create($"http://127.0.0.1:{GrpcPort}", credentials: TestKeys.AdminCredentials);

    public AccountService.AccountServiceClient Accounts => new(Channel);

    public ContactService.ContactServiceClient Contacts => new(Channel);

    public OpportunityService.OpportunityServiceClient Opportunities => new(Channel);

    public RevenueService.RevenueServiceClient Revenue => new(Channel);

    public RankingService.RankingServiceClient Ranking => new(Channel);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a silo on free ports with the given settings and waits until /health/ready answers.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? siloPort = null, int? gatewayPort = null)
    {
        var grpcPort = SiloFactory.FreePort();
        var httpPort = SiloFactory.FreePort();
        var all = new Dictionary<string, string>
        {
            ["Endpoints:Grpc"] = $"http://127.0.0.1:{grpcPort}",
            ["Endpoints:Http"] = $"http://127.0.0.1:{httpPort}",
            ["Orleans:Endpoints:SiloPort"] = (siloPort ?? SiloFactory.FreePort()).ToString(),
            ["Orleans:Endpoints:GatewayPort"] = (gatewayPort ?? SiloFactory.FreePort()).ToString(),
            ["Demo:Seed"] = "false",
            ["Ranking:FlushIntervalMs"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestKeys.Settings) all[key] = value;
        foreach (var (key, value) in settings) all[key] = value;

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ActorCrm.Silo.dll"));
        foreach (var (key, value) in all) start.ArgumentList.Add($"--{key}={value}");

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, grpcPort, httpPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return silo;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Let the redirected output drain first: under load its last lines (the reason) can still be in flight.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"the silo exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{HttpPort}/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo was not ready within {timeout}:\n{Output}");
    }

    /// <summary>kill -9: no shutdown, no flush, nothing graceful.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
