using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// A silo that traces every request (sample ratio 1) and keeps everything it emits: spans and metric
/// snapshots through the OpenTelemetry in-memory exporter, every log entry (message, structured
/// values, scopes, exception) through a capturing logger provider.
/// </summary>
public sealed class TelemetrySiloFactory : SiloFactory
{
    public LockedList<Activity> Spans { get; } = new();

    public LockedList<MetricSnapshot> Metrics { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Telemetry:TraceSampleRatio"] = "1",
        // Capture more than a production silo logs, so a leak at a low level is caught too.
        ["Logging:LogLevel:ActorCrm"] = "Debug",
        ["Logging:LogLevel:ActorCrm.Grains"] = "Debug",
        ["Logging:LogLevel:Grpc"] = "Debug",
        ["Logging:LogLevel:Orleans"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }

    /// <summary>Exports the current metric values (cumulative) and returns the newest snapshot of each instrument.</summary>
    public IReadOnlyDictionary<string, MetricSnapshot> CollectMetrics()
    {
        Metrics.Clear();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        return Metrics.ToList().GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
    }
}

/// <summary>A list that exporters on other threads may add to while a test reads it.</summary>
public sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items) return _items.Count;
        }
    }

    public bool IsReadOnly => false;

    public void Add(T item)
    {
        lock (_items) _items.Add(item);
    }

    public void Clear()
    {
        lock (_items) _items.Clear();
    }

    public bool Contains(T item)
    {
        lock (_items) return _items.Contains(item);
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items) _items.CopyTo(array, arrayIndex);
    }

    public bool Remove(T item)
    {
        lock (_items) return _items.Remove(item);
    }

    public List<T> ToList()
    {
        lock (_items) return [.. _items];
    }

    public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Keeps the text of every log entry: formatted message, each structured value, the scopes and the exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly LockedList<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append($" | {key}={value}");
            provider._scopes.ForEachScope((scope, builder) =>
            {
                builder.Append($" | scope={scope}");
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, value) in pairs) builder.Append($" {key}={value}");
            }, text);
            if (exception is not null) text.Append($" | {exception}");
            provider._entries.Add(text.ToString());
        }
    }
}
