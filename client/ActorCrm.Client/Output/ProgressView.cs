using System.Diagnostics;
using System.Globalization;
using ActorCrm.Client.Import;
using Spectre.Console;

namespace ActorCrm.Client.Output;

/// <summary>A progress bar for a running import: share of the input read, rows done, rows/s, ETA.</summary>
public static class ProgressView
{
    public static async Task RunAsync(IAnsiConsole console, string title, IRecordSource source, Func<long> rowsDone, Task work)
    {
        var clock = Stopwatch.StartNew();
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: Math.Max(1, source.TotalUnits));
                while (true)
                {
                    var finished = await Task.WhenAny(work, Task.Delay(250)) == work;
                    var rows = rowsDone();
                    var rate = rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{title}: {rows:N0} rows, {rate:N0} rows/s");
                    task.Value = finished ? task.MaxValue : Math.Min(source.ConsumedUnits, task.MaxValue - 1);
                    if (finished)
                    {
                        context.Refresh();
                        break;
                    }
                }
            });
        await work; // surface its exception
    }
}
